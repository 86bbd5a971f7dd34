package dev.mesh.jobs;

import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same S3 scenarios against MinIO in Docker (Testcontainers). Skipped where no Docker engine runs, as on the
 * machines this project is built on; run it with {@code mvn -pl jobs -am verify -Dtest=MinioMeshTest} where one does.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioMeshTest extends S3Scenarios {
    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2024-10-13T13-34-11Z")
            .withUserName("meshtestuser")
            .withPassword("mesh-test-password-123");

    @Override
    protected Store store() {
        return new Store(MINIO.getS3URL(), MINIO.getUserName(), MINIO.getPassword());
    }
}
