package dev.mesh.runtime.zone;

import dev.mesh.error.MeshException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Measures the bytes and files in each zone folder of the given domains, through Hadoop's FileSystem API. */
public final class ZoneSizes {
    static final List<String> ZONES = List.of("landing", "products", "quarantine", "staging", "_checkpoints");

    private ZoneSizes() {}

    public static List<ZoneSize> measure(Configuration conf, ZoneLayout zones, Collection<String> domains) {
        List<ZoneSize> sizes = new ArrayList<>();
        for (String domain : domains) {
            for (String zone : ZONES) {
                Path path = new Path(zones.domain(domain) + "/" + zone);
                try {
                    FileSystem fs = path.getFileSystem(conf);
                    ContentSummary summary = fs.getContentSummary(path);
                    sizes.add(new ZoneSize(domain, zone, summary.getLength(), summary.getFileCount()));
                } catch (FileNotFoundException e) {
                    sizes.add(new ZoneSize(domain, zone, 0, 0));
                } catch (IOException e) {
                    throw MeshException.infrastructure("cannot measure " + path + ": " + e.getMessage(), e);
                }
            }
        }
        return sizes;
    }
}
