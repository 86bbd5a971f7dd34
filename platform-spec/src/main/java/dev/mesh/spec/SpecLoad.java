package dev.mesh.spec;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.SpecProblem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The outcome of loading a mesh: the mesh when every file is valid, and every problem found otherwise. */
public record SpecLoad(Optional<MeshSpec> mesh, List<SpecProblem> problems, List<String> files,
        PolicyReport policies) {
    public SpecLoad {
        problems = List.copyOf(problems);
        files = List.copyOf(files);
        java.util.Objects.requireNonNull(policies, "policies is null");
    }

    public SpecLoad(Optional<MeshSpec> mesh, List<SpecProblem> problems, List<String> files) {
        this(mesh, problems, files, PolicyReport.NONE);
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
