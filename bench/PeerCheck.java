import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.pipeline.bench.BatchDump;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.InferenceModel;
import dev.idspam.serving.Predictor;
import dev.idspam.serving.TokenizerFiles;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java half of {@code bench/peer.py verify}: what the project computes for a few sentences, written
 * as {@code .npy} files for the PyTorch peer to compare with. Not part of the build; bench/pytorch-peer.sh
 * runs it with the single-file source launcher on the classpath of {@code ./idspam}:
 * <pre>
 *   java -cp "$cp" bench/PeerCheck.java BUNDLE OUT "sentence one" "sentence two" ...
 * </pre>
 * BUNDLE is an exported adapter bundle of ID-SPAM on MiniLM ({@code idspam export --adapter}). It writes
 * to OUT: the sentences tokenised by the bundle's tokenizer and padded to the longest
 * ({@code input_ids.npy}, {@code attention_mask.npy}, {@code token_type_ids.npy}); the last hidden state
 * of the bundle's backbone as shipped (the original ONNX model on ONNX Runtime,
 * {@code backbone_last_hidden_state.npy}); the logits of the bundle through the serving library's
 * {@link Predictor} ({@code logits.npy}); and {@code initializer-NAME.npy} for each trained tensor that
 * the bundle keeps inside {@code model.onnx} instead of {@code adapter.safetensors} (tensors under 1 KiB).
 */
public final class PeerCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java -cp CP bench/PeerCheck.java BUNDLE OUT SENTENCE...");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        List<String> texts = List.of(args).subList(2, args.length);
        Path manifestFile = bundle.resolve("bundle.json");
        JsonObject manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();

        // tokens, as the bundle's tokenizer gives them, padded to the longest
        List<Encoding> enc = new ArrayList<>();
        try (TextTokenizer tok = TokenizerFiles.open(manifest.getAsJsonObject("tokenizer"), manifestFile)) {
            for (String t : texts) {
                enc.add(tok.encode(t, null, manifest.get("max_length").getAsInt()));
            }
        }
        int rows = enc.size();
        int len = enc.stream().mapToInt(Encoding::length).max().orElse(0);
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] types = new long[rows * len];
        for (int i = 0; i < rows; i++) {
            enc.get(i).copyInto(ids, types, mask, i * len);
        }
        Map<String, HostTensor> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", HostTensor.longs(ids, rows, len));
        inputs.put("attention_mask", HostTensor.longs(mask, rows, len));
        inputs.put("token_type_ids", HostTensor.longs(types, rows, len));
        for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
            Files.write(out.resolve(e.getKey() + ".npy"), BatchDump.npy(e.getValue()));
        }

        // the backbone as shipped, on ONNX Runtime
        String backbone = manifest.getAsJsonObject("backbone").get("id").getAsString();
        Path original = Files.createTempFile(out, "backbone-", ".onnx");
        try {
            Files.write(original, BackboneCatalog.resolve(backbone).model().readAllBytes());
            try (InferenceModel m = InferenceModel.open(original)) {
                Map<String, HostTensor> res = m.run(new Batch(inputs));
                HostTensor hidden = res.containsKey("last_hidden_state") ? res.get("last_hidden_state")
                        : res.values().stream().filter(t -> t.shape().length == 3).findFirst().orElseThrow(
                                () -> new IllegalStateException("the backbone model gives no [B, L, n] output: " + res.keySet()));
                Files.write(out.resolve("backbone_last_hidden_state.npy"), BatchDump.npy(hidden));
                System.out.println("backbone " + backbone + ": outputs " + m.outputNames());
            }
        } finally {
            Files.deleteIfExists(original);
        }

        // the bundle as served
        try (Predictor p = Predictor.open(bundle)) {
            List<Predictor.Prediction> preds = p.predictAll(texts, null);
            int classes = preds.get(0).logits().length;
            float[] logits = new float[rows * classes];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(preds.get(i).logits(), 0, logits, i * classes, classes);
            }
            Files.write(out.resolve("logits.npy"), BatchDump.npy(HostTensor.floats(logits, rows, classes)));
        }

        // trained tensors small enough to stay inside model.onnx
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(bundle.resolve("model.onnx")));
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            String name = t.getName();
            if (!(name.startsWith("idspam.") || name.startsWith("head."))
                    || t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL
                    || t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            float[] v;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                v = new float[raw.remaining() / 4];
                raw.asFloatBuffer().get(v);
            } else {
                v = new float[t.getFloatDataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.getFloatData(i);
                }
            }
            Files.write(out.resolve("initializer-" + name + ".npy"), BatchDump.npy(HostTensor.floats(v, dims)));
        }
        System.out.println("wrote " + rows + " sentences (" + len + " tokens) to " + out);
    }
}
