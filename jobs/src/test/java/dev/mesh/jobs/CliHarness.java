package dev.mesh.jobs;

import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** Runs the mesh CLI in the test JVM on the shared SparkSession, capturing what it prints. */
final class CliHarness {
    /** The repository root (tests run in the jobs module's folder). */
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path EXAMPLES = HOME.resolve("examples/platform.yaml");

    record Result(int exitCode, String out, String err) {}

    private CliHarness() {}

    static Result run(String... args) {
        return runWith(java.util.Map.of(), args);
    }

    /** Runs with these environment variables (where S3 credentials come from). */
    static Result runWith(java.util.Map<String, String> variables, String... args) {
        return runAt(Clock.systemUTC(), variables, args);
    }

    /** Runs with a clock of the test's choosing, so that time can pass without sleeping. */
    static Result runAt(Clock clock, java.util.Map<String, String> variables, String... args) {
        return runWith(Extensions.load(), clock, variables, args);
    }

    /** Runs a command that must finish (or fail) before any SparkSession is asked for; one would fail it. */
    static Result runWithoutSpark(String... args) {
        return execute(platform -> {
            throw new IllegalStateException("this command started Spark");
        }, Extensions.load(), Clock.systemUTC(), java.util.Map.of(), args);
    }

    /** Runs with these extensions (a gate or listener of the test's, to act at a known point of a run). */
    static Result runWith(Extensions extensions, Clock clock, java.util.Map<String, String> variables,
            String... args) {
        return execute(platform -> SharedSpark.session(), extensions, clock, variables, args);
    }

    private static Result execute(java.util.function.Function<dev.mesh.spec.model.PlatformSpec,
            org.apache.spark.sql.SparkSession> spark, Extensions extensions, Clock clock,
            java.util.Map<String, String> variables, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                spark, false, extensions, clock, HOME, variables);
        int code = MeshCli.execute(environment, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
