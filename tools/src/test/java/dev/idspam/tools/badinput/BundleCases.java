package dev.idspam.tools.badinput;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import dev.idspam.serving.Predictor;

import java.nio.file.Files;
import java.util.List;

import static dev.idspam.tools.badinput.Case.api;
import static dev.idspam.tools.badinput.Case.cli;

/** Exported bundles and prediction. */
final class BundleCases {
    private BundleCases() {
    }

    private static final String SST2 = "sst2/bundle/bundle.json";

    /** {@code idspam predict} on the SST-2 bundle. */
    private static String[] predict() {
        return new String[] {"predict", "--model", "{ws}/sst2/bundle", "a fun film ."};
    }

    private static String[] export() {
        return new String[] {"export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/new-bundle", "--threads", "1"};
    }

    private static JsonArray labels(String... names) {
        JsonArray a = new JsonArray();
        for (String n : names) {
            a.add(n);
        }
        return a;
    }

    static List<Case> rows() {
        return List.of(
                cli("bundle.json is not JSON", "", ws -> ws.write(SST2, "{ \"format\": "), 2,
                        "bundle\\.json.*malformed JSON", predict()),
                cli("bundle model changed after export", "", ws -> ws.flipByte("sst2/bundle/model.onnx", -10), 2,
                        "model\\.onnx.*SHA-256", predict()),
                cli("bundle model truncated", "", ws -> ws.truncate("sst2/bundle/model.onnx", 1000), 2,
                        "model\\.onnx: SHA-256 mismatch", predict()),
                cli("bundle model missing", "", ws -> ws.delete("sst2/bundle/model.onnx"), 2,
                        "model\\.onnx: the bundle's model file is missing", predict()),
                cli("bundle without bundle.json", "", ws -> ws.delete(SST2), 2,
                        "bundle\\.json: not an inference bundle", predict()),
                cli("bundle tokenizer changed after export", "", ws -> ws.append("sst2/bundle/vocab.txt", "extra\n"), 2,
                        "vocab\\.txt: SHA-256 mismatch", predict()),
                cli("bundle tokenizer missing", "", ws -> ws.delete("sst2/bundle/vocab.txt"), 2,
                        "vocab\\.txt: tokenizer file is missing", predict()),
                cli("bundle.json of another format", "", ws -> ws.editJson(SST2, o -> o.addProperty("format", "onnx-model")), 2,
                        "field 'format' is 'onnx-model'; accepted values: \\[idspam-inference-bundle\\]", predict()),
                cli("bundle.json of a later version", "", ws -> ws.editJson(SST2, o -> o.addProperty("format_version", 2)), 2,
                        "field 'format_version' is 2, this build reads 1", predict()),

                // every field the predictor relies on, named when missing or mistyped
                cli("bundle.json without labels", "F6", ws -> ws.editJson(SST2, o -> o.remove("labels")), 2,
                        "bundle\\.json: field 'labels' is missing", predict()),
                cli("bundle.json without task", "F6", ws -> ws.editJson(SST2, o -> o.remove("task")), 2,
                        "bundle\\.json: field 'task' is missing", predict()),
                cli("bundle.json without regression", "F6", ws -> ws.editJson(SST2, o -> o.remove("regression")), 2,
                        "bundle\\.json: field 'regression' is missing", predict()),
                cli("bundle.json without max_length", "F6", ws -> ws.editJson(SST2, o -> o.remove("max_length")), 2,
                        "bundle\\.json: field 'max_length' is missing", predict()),
                cli("bundle.json without tokenizer", "F6", ws -> ws.editJson(SST2, o -> o.remove("tokenizer")), 2,
                        "bundle\\.json: field 'tokenizer' is missing", predict()),
                cli("bundle.json with a null format_version", "F6", ws -> ws.editJson(SST2,
                        o -> o.add("format_version", JsonNull.INSTANCE)), 2, "field 'format_version' is missing", predict()),
                cli("bundle.json format_version as text", "F6", ws -> ws.editJson(SST2,
                        o -> o.addProperty("format_version", "1")), 2,
                        "field 'format_version' must be a whole number, found the string '1'", predict()),
                cli("bundle.json labels as a number", "F6", ws -> ws.editJson(SST2, o -> o.addProperty("labels", 2)), 2,
                        "field 'labels' must be an array of strings, found 2", predict()),
                cli("bundle.json max_length as text", "F6", ws -> ws.editJson(SST2, o -> o.addProperty("max_length", "32")), 2,
                        "field 'max_length' must be a whole number", predict()),
                cli("bundle.json max_length above the backbone", "F6", ws -> ws.editJson(SST2,
                        o -> o.addProperty("max_length", 100)), 2, "field 'max_length' is 100, more than the backbone's 64", predict()),
                cli("bundle.json tokenizer as a string", "F6", ws -> ws.editJson(SST2,
                        o -> o.add("tokenizer", new JsonPrimitive("vocab.txt"))), 2,
                        "field 'tokenizer' must be an object, found the string 'vocab\\.txt'", predict()),
                cli("bundle.json with an unknown task", "F6", ws -> ws.editJson(SST2, o -> o.addProperty("task", "sst3")), 2,
                        "field 'task' is 'sst3'; accepted values: \\[cola, sst2, ", predict()),
                cli("bundle.json with an unknown tokenizer kind", "F6", ws -> ws.editJson(SST2,
                        o -> o.getAsJsonObject("tokenizer").addProperty("kind", "SENTENCEPIECE")), 2,
                        "field 'tokenizer\\.kind' is 'SENTENCEPIECE'; accepted values: \\[HF_JSON, WORDPIECE_VOCAB\\]", predict()),
                cli("bundle.json with an unknown special-token style", "F6", ws -> ws.editJson(SST2,
                        o -> o.getAsJsonObject("tokenizer").addProperty("style", "GPT")), 2,
                        "field 'tokenizer\\.style' is 'GPT'; accepted values: \\[BERT, ROBERTA, GPT2\\]", predict()),
                cli("bundle.json regression on a classification task", "F6", ws -> ws.editJson(SST2,
                        o -> o.addProperty("regression", true)), 2, "field 'regression' is true, but task sst2 is a classification",
                        predict()),
                cli("bundle.json with labels: []", "F6", ws -> ws.editJson(SST2, o -> o.add("labels", new JsonArray())), 2,
                        "field 'labels' is empty", predict()),
                cli("bundle.json with more labels than outputs", "F6", ws -> ws.editJson(SST2,
                        o -> o.add("labels", labels("0", "1", "2"))), 2,
                        "field 'labels' names 3 labels, but model\\.onnx gives 2 outputs", predict()),
                cli("bundle.json with fewer labels than outputs", "F6", ws -> ws.editJson("cb/bundle/bundle.json",
                        o -> o.add("labels", labels("entailment", "contradiction"))), 2,
                        "field 'labels' names 2 labels, but model\\.onnx gives 3 outputs",
                        "predict", "--model", "{ws}/cb/bundle", "a man runs .", "the dog sleeps ."),
                cli("bundle.json with a repeated label", "F6", ws -> ws.editJson(SST2, o -> o.add("labels", labels("0", "0"))), 2,
                        "field 'labels' repeats a value", predict()),
                cli("bundle.json empty", "F6", ws -> ws.write(SST2, ""), 2,
                        "bundle\\.json: the file is empty; expected a JSON object", predict()),
                cli("bundle.json far too large", "F6", ws -> ws.write(SST2, "{\"pad\": \"" + "x".repeat(2 << 20) + "\"}"), 2,
                        "bundle\\.json: \\d+ bytes is too large for a bundle manifest", predict()),

                // checksums are required, paths stay in the bundle
                cli("bundle.json without model_sha256", "F2", ws -> ws.editJson(SST2, o -> o.remove("model_sha256")), 2,
                        "bundle\\.json: field 'model_sha256' is missing", predict()),
                cli("bundle.json without the tokenizer's sha256", "F2", ws -> ws.editJson(SST2,
                        o -> o.getAsJsonObject("tokenizer").remove("sha256")), 2,
                        "bundle\\.json: field 'tokenizer\\.sha256' is missing", predict()),
                cli("bundle tokenizer path ../x", "F2", ws -> ws.editJson(SST2,
                        o -> o.getAsJsonObject("tokenizer").addProperty("file", "../../backbone/vocab.txt")), 2,
                        "field 'tokenizer\\.file' must be a plain file name in .*, found '\\.\\./\\.\\./backbone/vocab\\.txt'",
                        predict()),
                cli("bundle tokenizer path absolute", "F2", ws -> ws.editJson(SST2,
                        o -> o.getAsJsonObject("tokenizer").addProperty("file", ws.path("backbone/vocab.txt").toString())), 2,
                        "field 'tokenizer\\.file' must be a plain file name", predict()),
                cli("bundle tokenizer is a link out of the bundle", "F2", ws -> {
                    ws.delete("sst2/bundle/vocab.txt");
                    Files.createSymbolicLink(ws.path("sst2/bundle/vocab.txt"), ws.path("backbone/vocab.txt"));
                }, 2, "vocab\\.txt: tokenizer file is a link to .*backbone/vocab\\.txt, outside ", predict()),
                cli("export with a tokenizer path ../x in the artifacts", "F2", ws -> ws.editJson("sst2/run/manifest.json",
                        o -> o.getAsJsonObject("tokenizer").addProperty("file", "../../backbone/vocab.txt")), 2,
                        "manifest\\.json.*(field 'tokenizer\\.file' must be a plain file name|SHA-256|checksum)", export()),
                cli("export with an absolute tokenizer path in the artifacts", "F2", ws -> ws.editJson("sst2/run/manifest.json",
                        o -> o.getAsJsonObject("tokenizer").addProperty("file", ws.path("data/SST-2/dev.tsv").toString())), 2,
                        "manifest\\.json.*(field 'tokenizer\\.file' must be a plain file name|SHA-256|checksum)", export()),
                cli("export with a tokenizer changed in the artifacts", "", ws -> ws.append("sst2/run/vocab.txt", "extra\n"), 2,
                        "vocab\\.txt: SHA-256 mismatch", export()),
                cli("export into a file", "", 2, "--out must be a folder",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/sst2/bundle/bundle.json", "--threads", "1"),

                // what the model gives
                cli("bundle whose weights are NaN", "F4", ws -> TinyBundles.spoilWeights(ws.path("sst2/bundle")), 2,
                        "model\\.onnx: the model gives non-finite outputs \\[NaN, NaN\\]", predict()),
                api("Predictor used after close", "F3", Case.NOTHING, ws -> {
                    Predictor p = Predictor.open(ws.path("sst2/bundle"));
                    p.close();
                    p.predict("a fun film .", null);
                }, "predictor for .*sst2/bundle is closed"),
                api("Predictor given unequal pair lists", "F8", Case.NOTHING, ws -> {
                    try (Predictor p = Predictor.open(ws.path("cb/bundle"))) {
                        p.predictAll(List.of("a man runs .", "a dog sleeps ."), List.of("the park ."));
                    }
                }, "task cb takes pairs: 2 first texts but 1 second texts"),

                // adapter bundles: the frozen backbone weights come from a shared file
                cli("adapter weights file changed", "", ws -> ws.flipByte(adapterWeights(ws), -3), 2,
                        "safetensors: SHA-256 mismatch \\(the adapter bundle expects backbone weights [0-9a-f]{64}, the file has"
                                + " [0-9a-f]{64}\\)", predictAdapter()),
                cli("adapter weights file missing", "", ws -> ws.delete(adapterWeights(ws)), 2,
                        "bundle\\.json: the backbone weights file [0-9a-f]{64}\\.safetensors \\(.*\\) is in neither",
                        predictAdapter()),
                cli("adapter weights file lacks a tensor bundle.json names", "", ws -> ws.editJson(ADAPTER, o -> o
                        .getAsJsonObject("backbone_weights").getAsJsonArray("initializers").add("encoder.no_such")), 2,
                        "safetensors: the backbone weights file has no tensor 'encoder\\.no_such'", predictAdapter()),
                cli("adapter weights file name that is not its digest", "", ws -> ws.editJson(ADAPTER, o -> o
                        .getAsJsonObject("backbone_weights").addProperty("file", "../weights.safetensors")), 2,
                        "field 'backbone_weights\\.file' must be the weights file's SHA-256", predictAdapter()),
                cli("adapter weights file that is not a weights file", "", ws -> {
                    String name = adapterWeights(ws);
                    ws.write(name, "not weights");
                    String sha = Workspace.sha256(ws.path(name));
                    ws.editJson(ADAPTER, o -> {
                        o.getAsJsonObject("backbone_weights").addProperty("sha256", sha);
                        o.getAsJsonObject("backbone_weights").addProperty("file", sha + ".safetensors");
                    });
                    Files.move(ws.path(name), ws.path("sst2/backbones/" + sha + ".safetensors"));
                }, 2, "safetensors: not a weights file", predictAdapter()),
                // the shared prefix of an adapter cut at its injection layer, and its own suffix
                cli("adapter prefix graph changed", "", ws -> ws.flipByte(adapterPrefix(ws), -2), 2,
                        "prefix-[0-9a-f]{64}\\.onnx: SHA-256 mismatch \\(bundle\\.json field 'shared_prefix\\.sha256' says",
                        predictAdapter()),
                cli("adapter prefix graph missing", "", ws -> ws.delete(adapterPrefix(ws)), 2,
                        "bundle\\.json: field 'shared_prefix\\.file': the prefix graph prefix-[0-9a-f]{64}\\.onnx is in neither",
                        predictAdapter()),
                cli("adapter suffix graph changed", "", ws -> ws.flipByte("sst2/adapter/suffix.onnx", -2), 2,
                        "suffix\\.onnx: SHA-256 mismatch \\(bundle\\.json field 'shared_prefix\\.suffix_sha256' says",
                        predictAdapter()),
                cli("adapter tensors changed", "", ws -> ws.flipByte("sst2/adapter/adapter.safetensors", -2), 2,
                        "adapter\\.safetensors: SHA-256 mismatch \\(bundle\\.json field 'adapter_tensors\\.sha256' says",
                        predictAdapter()),
                cli("adapter tensors missing", "", ws -> ws.delete("sst2/adapter/adapter.safetensors"), 2,
                        "adapter\\.safetensors: the bundle's adapter tensors is missing", predictAdapter()),
                cli("adapter tensors file renamed in bundle.json", "", ws -> ws.editJson(ADAPTER, o -> o.getAsJsonObject("adapter_tensors")
                        .addProperty("file", "../x.safetensors")), 2, "field 'adapter_tensors\\.file'", predictAdapter()),
                cli("adapter prefix boundary empty", "", ws -> ws.editJson(ADAPTER, o -> o.getAsJsonObject("shared_prefix")
                        .add("boundary", new JsonArray())), 2, "field 'shared_prefix\\.boundary' is empty", predictAdapter()),
                cli("export --adapter given a value", "", 2, "--adapter is a flag and takes no value",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/new-adapter", "--adapter", "yes"),
                cli("export --quantize with an unknown mode", "", 2, "export: --quantize must be none or int8, got 'int4'",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/q", "--quantize", "int4"),
                cli("export --adapter with --quantize int8", "", 2, "--adapter cannot be combined with --quantize int8",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/q", "--adapter", "--quantize", "int8"));
    }

    private static final String ADAPTER = "sst2/adapter/bundle.json";

    private static String[] predictAdapter() {
        return new String[] {"predict", "--model", "{ws}/sst2/adapter", "a fun film ."};
    }

    /** The shared prefix graph of the SST-2 adapter, relative to the workspace. */
    private static String adapterPrefix(Workspace ws) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.list(ws.path("sst2/backbones"))) {
            return "sst2/backbones/" + s.filter(f -> f.getFileName().toString().startsWith("prefix-")).findFirst().orElseThrow()
                    .getFileName();
        }
    }

    /** The shared weights file of the SST-2 adapter, relative to the workspace. */
    private static String adapterWeights(Workspace ws) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.list(ws.path("sst2/backbones"))) {
            return "sst2/backbones/" + s.filter(f -> f.toString().endsWith(".safetensors")).findFirst().orElseThrow().getFileName();
        }
    }
}
