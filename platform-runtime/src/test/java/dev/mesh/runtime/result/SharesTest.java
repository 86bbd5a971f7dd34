package dev.mesh.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharesTest {
    @Test
    void sharesReadAsPercentagesThatNeverRoundAFailureIntoAPass() {
        assertThat(Shares.percent(0.8928571428571429)).isEqualTo("89.3%");
        assertThat(Shares.percent(0.6666666666666666)).isEqualTo("66.7%");
        assertThat(Shares.percent(0.5)).isEqualTo("50%");
        assertThat(Shares.percent(1.0)).isEqualTo("100%");
        assertThat(Shares.percent(0.0)).isEqualTo("0%");
        assertThat(Shares.percent(0.95)).isEqualTo("95%");
        // one bad row in 40,000 is not "100%", and one good row in 40,000 is not "0%"
        assertThat(Shares.percent(0.999975)).isEqualTo("99.998%");
        assertThat(Shares.percent(0.000025)).isEqualTo("0.002%");
        // closer than four decimals show: rounded away from the side it is not on
        assertThat(Shares.percent(0.9999999)).isEqualTo("99.9999%");
        assertThat(Shares.percent(0.0000001)).isEqualTo("0.0001%");
    }
}
