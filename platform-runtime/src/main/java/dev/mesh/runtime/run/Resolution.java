package dev.mesh.runtime.run;

import dev.mesh.runtime.ingest.IngestedFile;
import dev.mesh.runtime.ingest.IngestedFiles;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.runtime.spi.Watermark;
import dev.mesh.spec.model.InputKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inputs as read for this run, pinned, and what identifies what they hold; {@code publishedVersion} is the
 * product version an incremental read starts after (-1 for none).
 */
record Resolution(List<ResolvedInput> inputs, IngestedFiles ingested, boolean incremental, long publishedVersion,
        String runKey) {
    boolean readsFiles() {
        return inputs.stream().anyMatch(input -> input.kind() == InputKind.FILES);
    }

    /** Whether no input read incrementally found anything new: no new landing file, no row above a mark. */
    boolean nothingNew() {
        return inputs.stream().allMatch(input -> input.kind() == InputKind.FILES ? input.files().isEmpty()
                : input.watermark().map(Watermark::nothingNew).orElse(true));
    }

    /** The high-water marks to publish with this run's rows, by input name. */
    Map<String, String> watermarks() {
        Map<String, String> marks = new TreeMap<>();
        inputs.forEach(input -> input.watermark().flatMap(Watermark::mark)
                .ifPresent(mark -> marks.put(input.name(), mark)));
        return marks;
    }

    List<IngestedFile> files() {
        List<IngestedFile> files = new ArrayList<>();
        inputs.forEach(input -> input.files().forEach(file -> files.add(IngestedFile.of(input.name(), file))));
        return files;
    }

    /** What the run records of an input: what it is, its version, its records, the files read and left out. */
    static InputRecord record(ResolvedInput input, long records) {
        return new InputRecord(input.name(), input.kind().specName(), input.reference(),
                input.version().orElse(null), records, input.files().stream().map(SourceFile::path).toList(),
                input.ignored());
    }
}
