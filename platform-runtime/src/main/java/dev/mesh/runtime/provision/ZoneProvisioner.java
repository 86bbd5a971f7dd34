package dev.mesh.runtime.provision;

import dev.mesh.spec.model.MeshSpec;

/** Creates or updates the zones of every domain of a mesh, and the platform's own tables; idempotent. */
public interface ZoneProvisioner {
    ProvisionReport provision(MeshSpec mesh);
}
