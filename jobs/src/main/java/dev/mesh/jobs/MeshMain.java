package dev.mesh.jobs;

import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;

/** The entry point of {@code bin/mesh}. */
public final class MeshMain {
    private MeshMain() {}

    public static void main(String[] args) {
        System.exit(MeshCli.execute(CliEnvironment.system(), args));
    }
}
