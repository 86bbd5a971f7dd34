package dev.mesh.spec;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.SpecProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of loading a mesh: the mesh when every file is valid, and every problem found otherwise; with problems
 * only in product and domain files, also the rest of the mesh, which still runs ({@link #isolated}).
 */
public record SpecLoad(Optional<MeshSpec> mesh, List<SpecProblem> problems, List<String> files,
        PolicyReport policies, Optional<Isolated> isolated) {
    public SpecLoad {
        problems = List.copyOf(problems);
        files = List.copyOf(files);
        java.util.Objects.requireNonNull(policies, "policies is null");
        java.util.Objects.requireNonNull(isolated, "isolated is null");
    }

    public SpecLoad(Optional<MeshSpec> mesh, List<SpecProblem> problems, List<String> files, PolicyReport policies) {
        this(mesh, problems, files, policies, Optional.empty());
    }

    public SpecLoad(Optional<MeshSpec> mesh, List<SpecProblem> problems, List<String> files) {
        this(mesh, problems, files, PolicyReport.NONE);
    }

    /**
     * The valid part of a mesh whose problems lie only in product and domain files: the products they concern, and
     * their consumers, are left out, each with the reason, so that {@code mesh run} refuses only those.
     */
    public record Isolated(MeshSpec mesh, Map<ProductId, String> refused) {
        public Isolated {
            java.util.Objects.requireNonNull(mesh, "mesh is null");
            refused = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(refused));
        }
    }

    /** The mesh, or a {@link MeshException} (invalid input) listing every problem, one per line. */
    public MeshSpec orThrow() {
        if (!problems.isEmpty() || mesh.isEmpty()) {
            throw MeshException.invalidInput("%d problem%s in the mesh's specs:%n%s", problems.size(),
                    problems.size() == 1 ? "" : "s",
                    problems.stream().map(p -> "  " + p).collect(Collectors.joining(System.lineSeparator())));
        }
        return mesh.get();
    }
}
