package dev.mesh.runtime.run;

import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.spi.TableChange;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The candidate's rows that passed the row rules ({@code good}), those of them the product would hold, which the gate
 * checks ({@code published}), and what was counted and quarantined on the way.
 */
record Screened(Dataset<Row> good, Dataset<Row> published, Optional<TableChange> change, List<InputRecord> inputs,
        long rowsOut, long rowsQuarantined) {}
