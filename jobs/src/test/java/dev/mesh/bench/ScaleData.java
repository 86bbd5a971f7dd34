package dev.mesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data of {@code bench/scale.sh}: TPC-H line items at a scale factor as CSV, written straight into the landing
 * zone of a mesh holding the example's line items product (published by overwriting, as the hand-written job does),
 * so that the product and the hand-written job read the same files. Needs no Spark.
 *   ScaleData SCALE_FACTOR DIR
 */
public final class ScaleData {
    private ScaleData() {}

    public static void main(String[] args) throws Exception {
        double scale = Double.parseDouble(args[0]);
        Path root = Path.of(args[1]).toAbsolutePath();
        Path landing = root.resolve("mesh/zones/sales/landing/lineitems");
        // the mesh's specs first, over an empty landing, then the files where the product reads them
        Path empty = Files.createDirectories(root.resolve("none"));
        ProductVsHandwrittenBench.prepareMesh(root.resolve("mesh"), empty, true);
        Files.delete(empty);
        long start = System.nanoTime();
        long rows = ProductVsHandwrittenBench.writeLineItemsCsv(landing, scale, ProductVsHandwrittenBench.CSV_FILES);
        long bytes = Bench.bytesIn(landing);
        System.out.printf(Locale.ROOT, "rows=%d bytes=%d landing=%s generated_s=%.1f%n", rows, bytes, landing,
                (System.nanoTime() - start) / 1e9);
    }
}
