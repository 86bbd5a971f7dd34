package dev.mesh.jobs.cli;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.spark.MeshSparkSessions;
import dev.mesh.spec.model.PlatformSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * What the CLI runs against: its output streams, how it gets a SparkSession (and whether it stops it), the SPI
 * implementations, the clock, the installation folder (for the example mesh) and the environment variables (where
 * credentials come from). Tests hand in their own.
 */
public record CliEnvironment(
        PrintStream out,
        PrintStream err,
        Function<PlatformSpec, SparkSession> sparkFactory,
        boolean stopSpark,
        Extensions extensions,
        Clock clock,
        Path home,
        Map<String, String> variables) {
    public CliEnvironment {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(sparkFactory, "sparkFactory is null");
        requireNonNull(extensions, "extensions is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(home, "home is null");
        variables = Map.copyOf(variables);
    }

    /** The real environment: standard streams, a session of its own, the system clock, {@code mesh.home}. */
    public static CliEnvironment system() {
        Path home = Path.of(System.getProperty("mesh.home", ".")).toAbsolutePath().normalize();
        return new CliEnvironment(System.out, System.err, platform -> MeshSparkSessions.create(platform, "mesh"),
                true, Extensions.load(), Clock.systemUTC(), home, System.getenv());
    }
}
