package dev.mesh.runtime.provision;

import java.util.List;

/** What provisioning did: the folders, tables and databases it created, and those that were already there. */
public record ProvisionReport(List<String> created, List<String> unchanged) {
    public ProvisionReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
    }

    public boolean changedNothing() {
        return created.isEmpty();
    }
}
