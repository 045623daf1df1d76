package dev.idspam.graphs.backbone;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsTableTest {
    private static Map<String, byte[]> entries() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("apple", "1".getBytes(StandardCharsets.UTF_8));
        e.put("apply", "22".getBytes(StandardCharsets.UTF_8));
        e.put("banana", "333".getBytes(StandardCharsets.UTF_8));
        return e;
    }

    @Test
    void readsPrefixCompressedKeys() {
        Map<String, byte[]> t = SsTable.read(TestTables.table(entries(), 0), "t");
        assertThat(t.keySet()).containsExactly("apple", "apply", "banana");
        assertThat(new String(t.get("banana"), StandardCharsets.UTF_8)).isEqualTo("333");
    }

    @Test
    void failsClearlyOnCompressionCorruptionAndWrongFiles() {
        assertThatThrownBy(() -> SsTable.read(TestTables.table(entries(), 1), "snappy.index"))
                .hasMessageContaining("snappy.index: data block at 0 is compressed (type 1, Snappy)");
        byte[] corrupt = TestTables.table(entries(), 0);
        corrupt[3] ^= 1;
        assertThatThrownBy(() -> SsTable.read(corrupt, "c.index")).hasMessageContaining("fails its CRC32C check");
        assertThatThrownBy(() -> SsTable.read(new byte[64], "zeros")).hasMessageContaining("bad magic");
    }
}
