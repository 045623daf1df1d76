package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsFloat32AndKeepsTheLayout() throws Exception {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a.weight", TensorData.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        t.put("b", TensorData.ofFloats(new long[] {1}, -0.5f));
        Path f = tmp.resolve("m.safetensors");
        Safetensors.write(f, t, Safetensors.StorageType.F32);
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + headerLen) % 8).isZero();
        assertThat(new String(bytes, 8, (int) headerLen)).contains("\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}");
        try (Safetensors.Reader r = Safetensors.open(f)) {
            assertThat(r.entries().keySet()).containsExactly("a.weight", "b");
            assertThat(r.readFloat("a.weight")).isEqualTo(t.get("a.weight"));
            assertThat(r.readFloat("b")).isEqualTo(t.get("b"));
            assertThatThrownBy(() -> r.readFloat("c")).hasMessageContaining("no tensor 'c'");
        }
    }

    @Test
    void halfAndBfloat16ConvertExactlyWhereRepresentable() throws Exception {
        float[] exact = {0f, -0f, 1f, -2.5f, 0.000061035156f /* 2^-14 */, 5.9604645e-8f /* 2^-24, subnormal */, 65504f};
        for (float v : exact) {
            assertThat(Safetensors.halfToFloat(Safetensors.floatToHalf(v))).isEqualTo(v);
        }
        assertThat(Safetensors.floatToHalf(1f + 0x1p-11f)).isEqualTo(0x3c00);              // tie → even
        assertThat(Safetensors.floatToHalf(1f + 0x1p-11f + 0x1p-20f)).isEqualTo(0x3c01);   // above tie → up
        assertThat(Safetensors.halfToFloat(Safetensors.floatToHalf(1e6f))).isInfinite();
        assertThat(Safetensors.floatToBfloat16(1f + 0x1p-8f)).isEqualTo(0x3f80);           // tie → even
        Map<String, TensorData> t = Map.of("x", TensorData.ofFloats(new long[] {3}, 1.5f, -3f, 0.25f));
        for (Safetensors.StorageType s : new Safetensors.StorageType[] {Safetensors.StorageType.F16, Safetensors.StorageType.BF16}) {
            Path f = tmp.resolve(s + ".safetensors");
            Safetensors.write(f, t, s);
            try (Safetensors.Reader r = Safetensors.open(f)) {
                assertThat(r.entries().get("x").dtype()).isEqualTo(s.name());
                assertThat(r.readFloat("x").toFloats()).containsExactly(1.5f, -3f, 0.25f);
            }
        }
    }

    @Test
    void rejectsFilesThatAreNotSafetensors() throws Exception {
        Path f = tmp.resolve("junk.safetensors");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertThatThrownBy(() -> Safetensors.open(f)).hasMessageContaining("is not a safetensors file");
        byte[] header = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(f, ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).putLong(7).array());
        try (Safetensors.Reader r = Safetensors.open(f)) {
            assertThatThrownBy(() -> r.readFloat("ids")).hasMessageContaining("tensor 'ids' has dtype I64");
        }
    }
}
