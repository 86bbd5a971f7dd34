package dev.mesh.runtime.run;

/**
 * How a planned candidate becomes the product's next version: screened (counted, its rejects quarantined), gated,
 * scanned for personal data, and committed. {@link TwoPassWrite} materializes the candidate and reads it for each of
 * those steps; {@link OnePassWrite} writes it uncommitted while one pass counts it, gates the written files and
 * commits them. Either leaves the published product as it was unless it returns {@link WriteOutcome.Published}.
 */
interface WriteStrategy {
    WriteOutcome write(Resolution resolution, Candidate candidate);
}
