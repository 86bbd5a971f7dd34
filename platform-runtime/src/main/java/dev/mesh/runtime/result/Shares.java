package dev.mesh.runtime.result;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A share of rows or values as a person reads it: {@code 89.3%}, never {@code 0.8928571428571429}. */
public final class Shares {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_DECIMALS = 4;

    private Shares() {}

    /**
     * The share as a percentage with the fewest decimals (at least one when it is not exact) that do not round a
     * share below 1 up to 100% or a share above 0 down to 0%: a failed check never reads "100% is below 100%".
     */
    public static String percent(double share) {
        BigDecimal exact = BigDecimal.valueOf(share).multiply(HUNDRED);
        for (int decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
            BigDecimal rounded = exact.setScale(decimals, RoundingMode.HALF_EVEN);
            boolean isExact = rounded.compareTo(exact) == 0;
            boolean misleading = rounded.compareTo(HUNDRED) == 0 && share < 1 || rounded.signum() == 0 && share > 0;
            if (isExact || decimals > 0 && !misleading) {
                return plain(rounded) + "%";
            }
        }
        // closer to 100% or 0% than the decimals shown: round away from the side it is not on
        return plain(exact.setScale(MAX_DECIMALS, share < 1 && share > 0.5 ? RoundingMode.FLOOR : RoundingMode.CEILING))
                + "%";
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
