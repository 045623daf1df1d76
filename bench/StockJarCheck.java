import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inference throughput of ONNX models on the stock ONNX Runtime jar (com.microsoft.onnxruntime, its own
 * native library, default session options), on the batches {@code idspam benchmark --dump-batches DIR}
 * wrote, in alternating rounds. Not part of the build; run it with the single-file source launcher on a
 * classpath of the stock jar and Gson only, so that nothing of the project's training runtime loads:
 * <pre>
 *   java -cp onnxruntime-1.24.1.jar:gson.jar bench/StockJarCheck.java BATCHES ROUNDS NAME=MODEL.onnx ...
 * </pre>
 * The first model is the reference of the ratios (the original backbone ONNX). Each model is fed the
 * inputs it declares ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}).
 */
public final class StockJarCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java -cp ORT_JAR:GSON_JAR bench/StockJarCheck.java BATCHES ROUNDS NAME=MODEL.onnx ...");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Map<String, Path> models = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            models.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
        }
        JsonObject index = JsonParser.parseString(Files.readString(dir.resolve("index.json"))).getAsJsonObject();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("onnxruntime " + env.getVersion() + " from " + OrtEnvironment.class.getProtectionDomain()
                .getCodeSource().getLocation());
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        for (Map.Entry<String, Path> m : models.entrySet()) {
            sessions.put(m.getKey(), env.createSession(m.getValue().toString(), new OrtSession.SessionOptions()));
        }
        for (JsonElement we : index.getAsJsonArray("workloads")) {
            JsonObject w = we.getAsJsonObject();
            List<Map<String, long[][]>> batches = new ArrayList<>();
            long samples = 0;
            for (JsonElement be : w.getAsJsonArray("batches")) {
                JsonObject b = be.getAsJsonObject();
                Map<String, long[][]> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> f : b.getAsJsonObject("files").entrySet()) {
                    if (!f.getKey().equals("labels")) {
                        tensors.put(f.getKey(), readNpy(dir.resolve(f.getValue().getAsString())));
                    }
                }
                batches.add(tensors);
                samples += b.get("rows").getAsLong();
            }
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                for (Map.Entry<String, OrtSession> s : sessions.entrySet()) {
                    long t0 = System.nanoTime();
                    for (Map<String, long[][]> b : batches) {
                        run(env, s.getValue(), b);
                    }
                    double t = (System.nanoTime() - t0) / 1e9;
                    if (round >= 0) {
                        seconds.merge(s.getKey(), t, Double::sum);
                    }
                }
            }
            String ref = models.keySet().iterator().next();
            double refRate = samples * rounds / seconds.get(ref);
            System.out.printf(Locale.ROOT, "%n%s (%d batches, %d samples, %d rounds)%n", w.get("name").getAsString(),
                    batches.size(), samples, rounds);
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                double rate = samples * rounds / e.getValue();
                System.out.printf(Locale.ROOT, "  %-28s %10.1f samples/s   %5.2f x %s%n", e.getKey(), rate, rate / refRate, ref);
            }
        }
        for (OrtSession s : sessions.values()) {
            s.close();
        }
    }

    private static void run(OrtEnvironment env, OrtSession s, Map<String, long[][]> b) throws Exception {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String name : s.getInputNames()) {
                long[][] t = b.get(name);
                feeds.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(t[1]), t[0]));
            }
            s.run(feeds).close();
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** An int64 .npy file (format 1.0, little-endian, C order) as {shape, values}. */
    private static long[][] readNpy(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = bb.getShort(8) & 0xffff;
        String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<i8'") || header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException(file + ": expected a C-order int64 array, header " + header.trim());
        }
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
        long[] shape = java.util.Arrays.stream(dims.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long[] values = new long[(int) n];
        bb.position(10 + headerLength);
        bb.asLongBuffer().get(values);
        return new long[][] {shape, values};
    }
}
