package dev.idspam.graphs.backbone;

import com.google.protobuf.CodedOutputStream;
import dev.idspam.graphs.build.TensorData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes a TensorFlow tensor bundle (index table + one data shard) with Google BERT's variable names, for tests. */
final class TinyTfCheckpoint {
    private TinyTfCheckpoint() {
    }

    /** Writes {@code prefix.index} and {@code prefix.data-00000-of-00001}; adds an Adam slot and global_step, which the importer skips. */
    static void write(Path prefix, BackboneWeights w) throws IOException {
        Map<String, TensorData> vars = new TreeMap<>();
        BackboneConfig c = w.config();
        vars.put("bert/embeddings/word_embeddings", w.get(TensorNames.WORD));
        vars.put("bert/embeddings/position_embeddings", w.get(TensorNames.POSITION));
        vars.put("bert/embeddings/token_type_embeddings", w.get(TensorNames.TOKEN_TYPE));
        vars.put("bert/embeddings/LayerNorm/gamma", w.get(TensorNames.EMB_LN_GAMMA));
        vars.put("bert/embeddings/LayerNorm/beta", w.get(TensorNames.EMB_LN_BETA));
        for (int i = 0; i < c.layers(); i++) {
            String l = "bert/encoder/layer_" + i + "/";
            dense(vars, l + "attention/self/query", w, i, TensorNames.Q_W, TensorNames.Q_B);
            dense(vars, l + "attention/self/key", w, i, TensorNames.K_W, TensorNames.K_B);
            dense(vars, l + "attention/self/value", w, i, TensorNames.V_W, TensorNames.V_B);
            dense(vars, l + "attention/output/dense", w, i, TensorNames.OUT_W, TensorNames.OUT_B);
            vars.put(l + "attention/output/LayerNorm/gamma", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA)));
            vars.put(l + "attention/output/LayerNorm/beta", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_BETA)));
            dense(vars, l + "intermediate/dense", w, i, TensorNames.FFN_IN_W, TensorNames.FFN_IN_B);
            dense(vars, l + "output/dense", w, i, TensorNames.FFN_OUT_W, TensorNames.FFN_OUT_B);
            vars.put(l + "output/LayerNorm/gamma", w.get(TensorNames.layer(i, TensorNames.FFN_LN_GAMMA)));
            vars.put(l + "output/LayerNorm/beta", w.get(TensorNames.layer(i, TensorNames.FFN_LN_BETA)));
        }
        vars.put("bert/pooler/dense/kernel", w.get(TensorNames.POOLER_W));
        vars.put("bert/pooler/dense/bias", w.get(TensorNames.POOLER_B));
        vars.put("cls/predictions/transform/dense/kernel", w.get(TensorNames.MLM_DENSE_W));
        vars.put("cls/predictions/transform/dense/bias", w.get(TensorNames.MLM_DENSE_B));
        vars.put("cls/predictions/transform/LayerNorm/gamma", w.get(TensorNames.MLM_LN_GAMMA));
        vars.put("cls/predictions/transform/LayerNorm/beta", w.get(TensorNames.MLM_LN_BETA));
        vars.put("cls/predictions/output_bias", w.get(TensorNames.MLM_BIAS));
        vars.put("bert/embeddings/word_embeddings/adam_m", w.get(TensorNames.WORD));

        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, byte[]> index = new TreeMap<>();
        index.put("", header());
        for (Map.Entry<String, TensorData> e : vars.entrySet()) {
            byte[] raw = e.getValue().rawView();
            index.put(e.getKey(), entry(1, e.getValue().dims(), data.size(), raw));
            data.writeBytes(raw);
        }
        byte[] step = new byte[8];
        index.put("global_step", entry(9, new long[0], data.size(), step));
        data.writeBytes(step);
        Files.write(Path.of(prefix + ".index"), TestTables.table(index, 0));
        Files.write(Path.of(prefix + ".data-00000-of-00001"), data.toByteArray());
    }

    /** Zips {@code prefix.index} and its data shard as {@code variables/variables.*}, in the given order. */
    static void zip(Path zip, Path prefix, boolean indexFirst) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            String[] order = indexFirst ? new String[] {".index", ".data-00000-of-00001"} : new String[] {".data-00000-of-00001", ".index"};
            for (String suffix : order) {
                z.putNextEntry(new ZipEntry("variables/variables" + suffix));
                z.write(Files.readAllBytes(Path.of(prefix + suffix)));
                z.closeEntry();
            }
        }
    }

    private static void dense(Map<String, TensorData> vars, String name, BackboneWeights w, int i, String wn, String bn) {
        vars.put(name + "/kernel", w.get(TensorNames.layer(i, wn)));
        vars.put(name + "/bias", w.get(TensorNames.layer(i, bn)));
    }

    private static byte[] header() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        out.writeInt32(1, 1);   // num_shards
        out.writeEnum(2, 0);    // LITTLE endian
        out.flush();
        return b.toByteArray();
    }

    private static byte[] entry(int dtype, long[] dims, long offset, byte[] raw) throws IOException {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(shape);
        for (long d : dims) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            CodedOutputStream dm = CodedOutputStream.newInstance(dim);
            dm.writeInt64(1, d);
            dm.flush();
            s.writeByteArray(2, dim.toByteArray());
        }
        s.flush();
        CRC32C crc = new CRC32C();
        crc.update(raw);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        out.writeEnum(1, dtype);
        out.writeByteArray(2, shape.toByteArray());
        if (offset != 0) {
            out.writeInt64(4, offset);
        }
        out.writeInt64(5, raw.length);
        out.writeFixed32(6, SsTable.mask((int) crc.getValue()));
        out.flush();
        return b.toByteArray();
    }
}
