package dev.mesh.jobs.cli;

import dev.mesh.jobs.examples.TpchLandingSeeder;
import dev.mesh.jobs.s3.LocalS3Server;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.provision.ProvisionReport;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.spi.S3Credentials;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.StorageSpec;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh quickstart}: provisions the example mesh, drops TPC-H files into its landing zones, runs it all. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Provision the example mesh (examples/platform.yaml) on the embedded default (a folder on the "
                + "local disk), drop TPC-H source files into its landing zones, run every product, print the summary.")
final class QuickstartCommand implements Callable<Integer> {
    static final String ACCESS_KEY_ENV = "MESH_S3_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "MESH_S3_SECRET_KEY";

    @ParentCommand
    MeshCli cli;

    @Option(names = "--scale", paramLabel = "SF", defaultValue = "0.01",
            description = "TPC-H scale factor of the source files (default: 0.01, 15,000 orders).")
    double scale;

    @Option(names = "--storage", paramLabel = "local|s3", defaultValue = "local",
            description = "local (default): zones in a folder; s3: zones in a local S3 server (S3Proxy on loopback, "
                    + "objects under --s3-data) reached through S3A, started and stopped by the quickstart.")
    String storage;

    @Option(names = "--parallel", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "2",
            description = "Run up to N independent products at once (default: 2; the example's small products "
                    + "leave a core idle one at a time).")
    int parallel;

    @Option(names = "--no-run", description = "Provision and land the source files, but run nothing.")
    boolean noRun;

    @Option(names = "--s3-data", paramLabel = "DIR", description = "Where the local S3 server keeps its objects "
            + "(default: mesh-data/s3 in the installation folder).")
    Path s3Data;

    @Override
    public Integer call() {
        Path examples = cli.environment.home().resolve("examples/platform.yaml");
        switch (storage) {
            case "local":
                try (MeshContext context = cli.context(examples)) {
                    return quickstart(context);
                }
            case "s3":
                S3Credentials credentials = generatedCredentials();
                Path data = s3Data != null ? s3Data : cli.environment.home().resolve(LocalS3Server.DEFAULT_DATA);
                try (LocalS3Server server = LocalS3Server.start(LocalS3Server.jar(cli.environment.home()), data, 0,
                        credentials);
                        MeshContext context = cli.context(examples).withStorage(s3Storage(server), Map.of(
                                ACCESS_KEY_ENV, credentials.accessKey(), SECRET_KEY_ENV, credentials.secretKey()))) {
                    cli.environment.out().println("local S3 server (S3Proxy) on " + server.endpoint() + ", objects "
                            + "under " + data.toAbsolutePath() + "; it stops when the quickstart ends");
                    return quickstart(context);
                }
            default:
                throw dev.mesh.error.MeshException.invalidInput("--storage: '%s' is not a storage; allowed: "
                        + "local, s3", storage);
        }
    }

    private int quickstart(MeshContext context) {
        PrintStream out = cli.environment.out();
        long start = System.nanoTime();
        var mesh = context.mesh();
        out.println("Example mesh '" + mesh.platform().name() + "': " + mesh.domains().size() + " domains, "
                + mesh.products().size() + " products; zones under " + context.zones().root());
        ProvisionReport report = context.provision(false);
        out.printf(Locale.ROOT, "provision: %d created, %d already there (%.1fs, Spark's start included)%n",
                report.created().size(), report.unchanged().size(), (System.nanoTime() - start) / 1e9);
        out.println("isolation: " + context.storage().isolation(mesh));
        long seeding = System.nanoTime();
        List<String> seeded = new TpchLandingSeeder(context.spark(), context.zones(), scale).seed(mesh);
        seeded.forEach(line -> out.println("landing: " + line));
        out.printf(Locale.ROOT, "landing zones seeded in %.1fs%n", (System.nanoTime() - seeding) / 1e9);
        if (noRun) {
            out.println("landing zones ready; run the products with: mesh run --all");
            return 0;
        }
        List<RunResult> results = ReportedRuns.run(context, new ProductGraph(mesh).all(), RunOptions.DEFAULT,
                parallel, result -> { });
        out.println();
        RunSummary.print(out, results);
        out.printf(Locale.ROOT, "%nquickstart finished in %.1fs. Next:%n", (System.nanoTime() - start) / 1e9);
        if (storage.equals("local")) {
            out.println("  bin/mesh --platform examples/platform.yaml runs");
            out.println("  bin/mesh --platform examples/platform.yaml metrics finance.customer_balances");
        } else {
            out.println("  bin/mesh s3-server   (serves " + (s3Data != null ? s3Data : LocalS3Server.DEFAULT_DATA)
                    + " again, with your own credentials in " + ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + ")");
        }
        return Mesh.exitCode(results);
    }

    /** The example mesh on the local S3 server: one bucket, a prefix per domain, path-style access. */
    static StorageSpec s3Storage(LocalS3Server server) {
        S3Spec s3 = new S3Spec(Optional.of(server.endpoint()), "us-east-1", true,
                S3Spec.CredentialsSpec.fromEnvironment(ACCESS_KEY_ENV, SECRET_KEY_ENV), Map.of(), S3Spec.DEFAULT_TIMEOUT);
        return new StorageSpec(URI.create("s3a://mesh-quickstart/zones"), StorageSpec.ZoneMode.PREFIX, "",
                Optional.of(s3));
    }

    /** Credentials for a server that lives as long as this command; never printed. */
    static S3Credentials generatedCredentials() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[10];
        byte[] secret = new byte[24];
        random.nextBytes(key);
        random.nextBytes(secret);
        return new S3Credentials("MESH" + HexFormat.of().formatHex(key).toUpperCase(Locale.ROOT),
                HexFormat.of().formatHex(secret), "generated for this quickstart");
    }
}
