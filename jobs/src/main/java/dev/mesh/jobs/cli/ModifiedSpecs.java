package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code state:modified[:REF]} selector: the products whose spec files differ from a git ref (committed since,
 * changed in the working tree, or new and untracked), those of a domain whose {@code domain.yaml} changed, and every
 * product when the platform or governance file changed.
 */
final class ModifiedSpecs {
    private ModifiedSpecs() {}

    static Set<ProductId> since(MeshSpec mesh, String ref) {
        if (ref.isBlank() || ref.startsWith("-")) {
            throw MeshException.invalidInput("state:modified:%s: not a git ref", ref);
        }
        Path dir = mesh.platform().domainsDir().toAbsolutePath().normalize();
        Path top = Path.of(git(dir, "rev-parse", "--show-toplevel").get(0)).toAbsolutePath().normalize();
        Set<Path> changed = new LinkedHashSet<>();
        for (String file : git(dir, "diff", "--name-only", ref, "--")) {
            changed.add(top.resolve(file).normalize());
        }
        for (String file : git(dir, "ls-files", "--others", "--exclude-standard", "--full-name")) {
            changed.add(top.resolve(file).normalize());
        }
        Set<ProductId> modified = new LinkedHashSet<>();
        boolean global = mesh.platform().governanceFile().map(file -> changed.contains(absolute(file))).orElse(false)
                || changed.stream().anyMatch(file -> file.getFileName().toString().equals("platform.yaml"));
        for (ProductSpec product : mesh.products()) {
            Path domainFile = absolute(mesh.platform().domainsDir().resolve(product.domain()).resolve("domain.yaml"));
            if (global || changed.contains(absolute(product.file())) || changed.contains(domainFile)) {
                modified.add(product.id());
            }
        }
        return modified;
    }

    private static Path absolute(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private static List<String> git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw MeshException.invalidInput("state:modified compares the specs with a git ref, but git %s "
                        + "failed in %s: %s", args[0], dir, output.strip());
            }
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw MeshException.invalidInput("state:modified needs git on the PATH: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshException.invalidInput("interrupted while asking git what changed");
        }
    }
}
