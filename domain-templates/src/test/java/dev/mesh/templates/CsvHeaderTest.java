package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file's header as the CSV parser takes it: its first non-empty line, in whatever encoding and with whatever
 * line ends the file has; a file with no such line has none (and is ingested as no rows).
 */
class CsvHeaderTest {
    @TempDir
    Path dir;

    @Test
    void theHeaderIsTheFirstNonEmptyLineInEveryEncoding() throws IOException {
        String text = "\n\r\n\uFEFForder_id,amount\n1,2\n";
        for (Charset charset : new Charset[] {StandardCharsets.UTF_8, StandardCharsets.UTF_16,
                StandardCharsets.UTF_16LE, StandardCharsets.ISO_8859_1}) {
            assertThat(header(text.replace("\uFEFF", ""), charset)).as(charset.name())
                    .containsExactly("order_id", "amount");
        }
        assertThat(header("\uFEFForder_id,amount\r\n1,2\r\n", StandardCharsets.UTF_8))
                .containsExactly("order_id", "amount");
        assertThat(header("#note\n\norder_id\n", StandardCharsets.UTF_8, Map.of("comment", "#")))
                .containsExactly("order_id");
        assertThat(header("  \norder_id\n", StandardCharsets.UTF_8)).containsExactly("  ");
        assertThat(header("\n\n", StandardCharsets.UTF_16)).isEmpty();
        assertThat(header("", StandardCharsets.UTF_8)).isEmpty();
    }

    private java.util.List<String> header(String text, Charset charset) throws IOException {
        return header(text, charset, Map.of());
    }

    private java.util.List<String> header(String text, Charset charset, Map<String, String> options)
            throws IOException {
        Path file = Files.write(dir.resolve("f" + System.nanoTime() + ".csv"), text.getBytes(charset));
        return CsvHeader.read(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(file.toUri()), charset, options);
    }
}
