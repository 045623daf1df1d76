package dev.idspam.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data files carried in the repository are exactly those listed in {@code data/README.md}, with
 * the listed SHA-256 and row count, so that an accidental edit of a reference file fails the build.
 */
class CarriedDataTest {
    /** A table row of the README: {@code | `SST-2/dev.tsv` | 872 | `<64 hex digits>` |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([0-9,]+) \\| `([0-9a-f]{64})` \\|$");

    record Listed(long rows, String sha256) { }

    @TempDir
    Path tmp;

    @Test
    void everyCarriedFileMatchesItsListedDigestAndRowCount() throws IOException {
        Path data = Fixtures.dataDir();
        Map<String, Listed> listed = listed(data.resolve("README.md"));
        assertThat(listed.keySet()).as("files listed in data/README.md").containsExactlyInAnyOrder(
                "SST-2/train.tsv", "SST-2/dev.tsv", "MRPC/train.tsv", "MRPC/dev.tsv",
                "RTE/train.tsv", "RTE/dev.tsv", "CB/train.jsonl", "CB/val.jsonl");
        assertThat(mismatches(data, listed)).isEmpty();
    }

    @Test
    void anEditedUnlistedOrMissingFileIsReported() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("CB"));
        byte[] bytes = Files.readAllBytes(Fixtures.dataFile("CB/val.jsonl"));
        Map<String, Listed> listed = Map.of("CB/val.jsonl", listed(Fixtures.dataDir().resolve("README.md")).get("CB/val.jsonl"),
                "CB/train.jsonl", new Listed(250, "0".repeat(64)));
        bytes[bytes.length / 2] ^= 1; // one flipped bit, same row count
        Files.write(data.resolve("CB/val.jsonl"), bytes);
        Fixtures.write(data, "CB/extra.jsonl", "{}\n");

        assertThat(mismatches(data, listed)).containsExactly(
                "data/CB/extra.jsonl is not listed in data/README.md",
                "data/CB/train.jsonl is listed but missing",
                "data/CB/val.jsonl: SHA-256 " + sha256(bytes) + ", listed " + listed.get("CB/val.jsonl").sha256());
    }

    /** One line per difference between the files under {@code data} and the listed ones. */
    static List<String> mismatches(Path data, Map<String, Listed> listed) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> present = carriedFiles(data);
        for (String name : present) {
            if (!listed.containsKey(name)) {
                out.add("data/" + name + " is not listed in data/README.md");
            }
        }
        for (Map.Entry<String, Listed> e : new TreeMap<>(listed).entrySet()) {
            String name = e.getKey();
            if (!present.contains(name)) {
                out.add("data/" + name + " is listed but missing");
                continue;
            }
            byte[] bytes = Files.readAllBytes(data.resolve(name));
            String digest = sha256(bytes);
            if (!digest.equals(e.getValue().sha256())) {
                out.add("data/" + name + ": SHA-256 " + digest + ", listed " + e.getValue().sha256());
            }
            long rows = rows(name, bytes);
            if (rows != e.getValue().rows()) {
                out.add("data/" + name + ": " + rows + " rows, listed " + e.getValue().rows());
            }
        }
        return out;
    }

    /** The README's table: file (relative to data/) to its row count and digest. */
    static Map<String, Listed> listed(Path readme) throws IOException {
        Map<String, Listed> out = new TreeMap<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Listed previous = out.put(m.group(1), new Listed(Long.parseLong(m.group(2).replace(",", "")), m.group(3)));
                assertThat(previous).as("%s listed twice in %s", m.group(1), readme).isNull();
            }
        }
        return out;
    }

    /** Every file under {@code data} except its README, as {@code FOLDER/file}. */
    private static Set<String> carriedFiles(Path data) throws IOException {
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> data.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.equals("README.md"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Data rows: newline-terminated lines, less the header line of a TSV. */
    private static long rows(String name, byte[] bytes) {
        long lines = 0;
        for (byte b : bytes) {
            lines += b == '\n' ? 1 : 0;
        }
        return name.endsWith(".tsv") ? lines - 1 : lines;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
