package dev.mesh.jobs;

import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;

/**
 * The spark-submit entry point: takes the same arguments as {@code bin/mesh run}
 * ({@code [--platform FILE] DOMAIN.PRODUCT... | --all}); spark-submit decides the master and resources.
 */
public final class MeshSubmitMain {
    private MeshSubmitMain() {}

    public static void main(String[] args) {
        String[] run = new String[args.length + 1];
        run[0] = "run";
        System.arraycopy(args, 0, run, 1, args.length);
        System.exit(MeshCli.execute(CliEnvironment.system(), run));
    }
}
