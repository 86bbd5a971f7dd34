package dev.mesh.quality.deequ;

import com.amazon.deequ.metrics.Distribution;
import com.amazon.deequ.metrics.DistributionValue;
import com.amazon.deequ.profiles.ColumnProfile;
import com.amazon.deequ.profiles.ColumnProfilerRunner;
import com.amazon.deequ.profiles.ColumnProfiles;
import com.amazon.deequ.profiles.NumericColumnProfile;
import dev.mesh.quality.profile.ColumnFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/** Profiles data with Deequ's column profiler and hands the facts back as plain Java. */
public final class DeequProfiles {
    /** Columns with at most this many distinct values get their values listed. */
    public static final int LOW_CARDINALITY = 12;

    private DeequProfiles() {}

    public static List<ColumnFacts> profile(Dataset<Row> data) {
        ColumnProfiles profiles = new ColumnProfilerRunner().onData(data)
                .withLowCardinalityHistogramThreshold(LOW_CARDINALITY).run();
        Map<String, ColumnProfile> byColumn = JavaConverters.mapAsJavaMap(profiles.profiles());
        List<ColumnFacts> facts = new ArrayList<>();
        for (String column : data.columns()) {
            ColumnProfile profile = byColumn.get(column);
            if (profile == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            if (profile.histogram().isDefined()) {
                Distribution histogram = profile.histogram().get();
                Map<String, DistributionValue> bins = JavaConverters.mapAsJavaMap(histogram.values());
                if (histogram.numberOfBins() <= LOW_CARDINALITY) {
                    bins.keySet().stream().filter(v -> !v.equals("NullValue")).sorted().forEach(values::add);
                }
            }
            Double min = null;
            Double max = null;
            if (profile instanceof NumericColumnProfile numeric) {
                min = numeric.minimum().isDefined() ? ((Number) numeric.minimum().get()).doubleValue() : null;
                max = numeric.maximum().isDefined() ? ((Number) numeric.maximum().get()).doubleValue() : null;
            }
            facts.add(new ColumnFacts(column, profile.dataType().toString(), profile.completeness(),
                    profile.approximateNumDistinctValues(), values, min, max));
        }
        return facts;
    }
}
