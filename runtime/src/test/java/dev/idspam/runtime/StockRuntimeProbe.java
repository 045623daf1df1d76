package dev.idspam.runtime;

import ai.onnxruntime.OrtEnvironment;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs in a forked JVM (see ExportTest and CorruptArtifactsTest). Modes:
 * <ul>
 *   <li>{@code stock <model.onnx> <x.json>}: classpath without the bytedeco core. Asks for the
 *       training runtime (expected to be refused), then runs the exported model with
 *       {@link InferenceModel} on the stock runtime; prints one JSON line.</li>
 *   <li>{@code early}: initialises ai.onnxruntime before {@link NativeRuntime#install}; prints the refusal.</li>
 * </ul>
 */
public final class StockRuntimeProbe {
    private StockRuntimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        JsonObject out = new JsonObject();
        if (args[0].equals("stock")) {
            out.addProperty("installError", installError());
            JsonObject in = new Gson().fromJson(Files.readString(Path.of(args[2])), JsonObject.class);
            JsonArray xs = in.getAsJsonArray("x");
            float[] x = new float[xs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = xs.get(i).getAsFloat();
            }
            try (InferenceModel m = InferenceModel.open(Path.of(args[1]))) {
                Map<String, HostTensor> r = m.run(Batch.of("x", HostTensor.floats(x, in.get("rows").getAsLong(),
                        in.get("cols").getAsLong())));
                JsonArray pred = new JsonArray();
                for (float v : ((HostTensor.Floats) r.get("pred")).data()) {
                    pred.add(v);
                }
                out.add("pred", pred);
                out.add("inputs", new Gson().toJsonTree(m.inputNames()));
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            out.addProperty("trainingEnabled", env.isTrainingEnabled());
            out.addProperty("version", env.getVersion());
        } else {
            OrtEnvironment.getEnvironment();
            out.addProperty("installError", installError());
        }
        System.out.println(new Gson().toJson(out));
    }

    private static String installError() {
        try {
            NativeRuntime.install(RuntimeConfig.cpu().withThreads(1));
            return null;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
