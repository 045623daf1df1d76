package dev.idspam.graphs.artifacts;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.Shape;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: what an artifact directory contains and how to feed it. Written last by
 * {@link ArtifactWriter}; {@link #read(Path)} refuses a directory whose files do not match it.
 *
 * @param model     caller-supplied description (backbone id, method and its config, task, labels, ...)
 * @param tokenizer caller-supplied tokenizer reference, or null
 * @param files     size and SHA-256 of each artifact file, by file name
 */
public record Manifest(int formatVersion, JsonObject model, JsonObject tokenizer, List<TensorSpec> trainInputs,
                       List<String> trainOutputs, List<TensorSpec> evalInputs, List<TensorSpec> evalOutputs,
                       ParameterGroup trainable, ParameterGroup frozen, AdamWConfig optimizer,
                       Map<String, FileEntry> files) {
    public static final String FORMAT = "idspam-training-artifacts";
    public static final int FORMAT_VERSION = 1;

    /** Parameter names of one group (trainable or frozen) and their total element count. */
    public record ParameterGroup(long elements, List<String> names) {
        public ParameterGroup {
            names = List.copyOf(names);
        }
    }

    /** Size and SHA-256 (lower-case hex) of one artifact file. */
    public record FileEntry(long bytes, String sha256) {
    }

    public Manifest {
        model = model == null ? new JsonObject() : model.deepCopy();
        tokenizer = tokenizer == null ? null : tokenizer.deepCopy();
        trainInputs = List.copyOf(trainInputs);
        trainOutputs = List.copyOf(trainOutputs);
        evalInputs = List.copyOf(evalInputs);
        evalOutputs = List.copyOf(evalOutputs);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    @Override
    public JsonObject model() {
        return model.deepCopy();
    }

    @Override
    public JsonObject tokenizer() {
        return tokenizer == null ? null : tokenizer.deepCopy();
    }

    public List<String> trainInputNames() {
        return trainInputs.stream().map(TensorSpec::name).toList();
    }

    public List<String> evalInputNames() {
        return evalInputs.stream().map(TensorSpec::name).toList();
    }

    public List<String> evalOutputNames() {
        return evalOutputs.stream().map(TensorSpec::name).toList();
    }

    // ---------------------------------------------------------------------------------------- writing

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("formatVersion", formatVersion);
        o.add("model", model.deepCopy());
        o.add("tokenizer", tokenizer == null ? JsonNull.INSTANCE : tokenizer.deepCopy());
        JsonObject training = new JsonObject();
        training.add("inputs", specs(trainInputs));
        JsonArray outs = new JsonArray();
        trainOutputs.forEach(outs::add);
        training.add("outputs", outs);
        o.add("training", training);
        JsonObject eval = new JsonObject();
        eval.add("inputs", specs(evalInputs));
        eval.add("outputs", specs(evalOutputs));
        o.add("eval", eval);
        JsonObject params = new JsonObject();
        params.add("trainable", group(trainable));
        params.add("frozen", group(frozen));
        o.add("parameters", params);
        JsonObject opt = new JsonObject();
        opt.addProperty("type", "AdamW");
        opt.addProperty("adamMode", 1);
        opt.addProperty("correctBias", true);
        opt.add("beta1", exact(optimizer.beta1()));
        opt.add("beta2", exact(optimizer.beta2()));
        opt.add("epsilon", exact(optimizer.epsilon()));
        opt.add("weightDecay", exact(optimizer.weightDecay()));
        o.add("optimizer", opt);
        JsonObject fs = new JsonObject();
        files.forEach((name, e) -> {
            JsonObject f = new JsonObject();
            f.addProperty("bytes", e.bytes());
            f.addProperty("sha256", e.sha256());
            fs.add(name, f);
        });
        o.add("files", fs);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /** A float as its shortest decimal form (0.98, not 0.9800000190734863). */
    private static JsonPrimitive exact(float f) {
        return new JsonPrimitive(new BigDecimal(Float.toString(f)));
    }

    private static JsonArray specs(List<TensorSpec> specs) {
        JsonArray a = new JsonArray();
        for (TensorSpec s : specs) {
            JsonObject o = new JsonObject();
            o.addProperty("name", s.name());
            o.addProperty("type", s.type().name());
            if (s.shape() == null) {
                o.add("shape", JsonNull.INSTANCE);
            } else {
                JsonArray dims = new JsonArray();
                for (Dim d : s.shape().dims()) {
                    if (d.isKnown()) {
                        dims.add(d.size());
                    } else if (d.isSymbolic()) {
                        dims.add(d.symbol());
                    } else {
                        dims.add(JsonNull.INSTANCE);
                    }
                }
                o.add("shape", dims);
            }
            a.add(o);
        }
        return a;
    }

    private static JsonObject group(ParameterGroup g) {
        JsonObject o = new JsonObject();
        o.addProperty("elements", g.elements());
        JsonArray names = new JsonArray();
        g.names().forEach(names::add);
        o.add("names", names);
        return o;
    }

    // ---------------------------------------------------------------------------------------- reading

    /**
     * Reads {@code dir/manifest.json}, checks its format version, and verifies that every artifact
     * file exists with the recorded size and SHA-256.
     */
    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(ArtifactNames.MANIFEST);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ArtifactFormatException(file + ": missing; " + dir
                    + " is not a complete artifact directory (the manifest is written last); regenerate the artifacts", e);
        }
        Manifest m = parse(json, file.toString());
        m.verifyFiles(dir);
        return m;
    }

    /** Checks each listed file's presence, size and SHA-256. */
    public void verifyFiles(Path dir) throws IOException {
        for (String required : ArtifactNames.ARTIFACT_FILES) {
            if (!files.containsKey(required)) {
                throw new ArtifactFormatException(dir.resolve(ArtifactNames.MANIFEST) + ": does not list " + required
                        + "; regenerate the artifacts");
            }
        }
        for (Map.Entry<String, FileEntry> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new ArtifactFormatException(f + ": missing (listed in " + ArtifactNames.MANIFEST
                        + "); regenerate the artifacts");
            }
            long size = Files.size(f);
            if (size != e.getValue().bytes()) {
                throw new ArtifactFormatException(f + ": size mismatch (manifest says " + e.getValue().bytes()
                        + " bytes, file has " + size + "); regenerate the artifacts");
            }
            String sha = Digests.sha256(f);
            if (!sha.equals(e.getValue().sha256())) {
                throw new ArtifactFormatException(f + ": SHA-256 mismatch (manifest says " + e.getValue().sha256()
                        + ", file has " + sha + "); regenerate the artifacts");
            }
        }
    }

    /** Parses manifest JSON; {@code source} names it in errors. Does not look at the files. */
    public static Manifest parse(String json, String source) throws ArtifactFormatException {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ArtifactFormatException(source + ": not a JSON object; regenerate the artifacts");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ArtifactFormatException(source + ": not valid JSON (" + e.getMessage() + "); regenerate the artifacts", e);
        }
        Fields f = new Fields(source);
        String format = f.string(o, "format");
        if (!FORMAT.equals(format)) {
            throw new ArtifactFormatException(source + ": format is '" + format + "', expected '" + FORMAT + "'");
        }
        int version = (int) f.number(o, "formatVersion").longValue();
        if (version != FORMAT_VERSION) {
            throw new ArtifactFormatException(source + ": format version " + version + " is not supported (this build"
                    + " reads version " + FORMAT_VERSION + "); regenerate the artifacts with this build");
        }
        try {
            JsonObject model = f.object(o, "model");
            JsonElement tok = o.get("tokenizer");
            JsonObject tokenizer = tok == null || tok.isJsonNull() ? null : f.object(o, "tokenizer");
            JsonObject training = f.object(o, "training");
            JsonObject eval = f.object(o, "eval");
            List<String> trainOutputs = new ArrayList<>();
            for (JsonElement e : f.array(training, "outputs")) {
                trainOutputs.add(e.getAsString());
            }
            JsonObject params = f.object(o, "parameters");
            JsonObject opt = f.object(o, "optimizer");
            AdamWConfig adamw = new AdamWConfig(f.number(opt, "beta1").floatValue(), f.number(opt, "beta2").floatValue(),
                    f.number(opt, "epsilon").floatValue(), f.number(opt, "weightDecay").floatValue());
            Map<String, FileEntry> files = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : f.object(o, "files").entrySet()) {
                JsonObject fe = e.getValue().getAsJsonObject();
                files.put(e.getKey(), new FileEntry(f.number(fe, "bytes").longValue(), f.string(fe, "sha256")));
            }
            return new Manifest(version, model, tokenizer, f.specs(training, "inputs"), trainOutputs,
                    f.specs(eval, "inputs"), f.specs(eval, "outputs"), f.group(params, "trainable"),
                    f.group(params, "frozen"), adamw, files);
        } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new ArtifactFormatException(source + ": malformed (" + e.getMessage() + "); regenerate the artifacts", e);
        }
    }

    /** Field access with errors that name the manifest and the field. */
    private record Fields(String source) {
        JsonElement get(JsonObject o, String name) throws ArtifactFormatException {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) {
                throw new ArtifactFormatException(source + ": field '" + name + "' is missing; regenerate the artifacts");
            }
            return e;
        }

        String string(JsonObject o, String name) throws ArtifactFormatException {
            JsonElement e = get(o, name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new ArtifactFormatException(source + ": field '" + name + "' should be a string, found " + e);
            }
            return e.getAsString();
        }

        Number number(JsonObject o, String name) throws ArtifactFormatException {
            JsonElement e = get(o, name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new ArtifactFormatException(source + ": field '" + name + "' should be a number, found " + e);
            }
            return e.getAsNumber();
        }

        JsonObject object(JsonObject o, String name) throws ArtifactFormatException {
            JsonElement e = get(o, name);
            if (!e.isJsonObject()) {
                throw new ArtifactFormatException(source + ": field '" + name + "' should be an object, found " + e);
            }
            return e.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String name) throws ArtifactFormatException {
            JsonElement e = get(o, name);
            if (!e.isJsonArray()) {
                throw new ArtifactFormatException(source + ": field '" + name + "' should be an array, found " + e);
            }
            return e.getAsJsonArray();
        }

        ParameterGroup group(JsonObject o, String name) throws ArtifactFormatException {
            JsonObject g = object(o, name);
            List<String> names = new ArrayList<>();
            for (JsonElement e : array(g, "names")) {
                names.add(e.getAsString());
            }
            return new ParameterGroup(number(g, "elements").longValue(), names);
        }

        List<TensorSpec> specs(JsonObject o, String name) throws ArtifactFormatException {
            List<TensorSpec> out = new ArrayList<>();
            for (JsonElement e : array(o, name)) {
                JsonObject s = e.getAsJsonObject();
                DType type;
                try {
                    type = DType.valueOf(string(s, "type"));
                } catch (IllegalArgumentException ex) {
                    throw new ArtifactFormatException(source + ": unknown element type " + s.get("type") + " for "
                            + s.get("name"));
                }
                JsonElement shape = s.get("shape");
                Shape sh = null;
                if (shape != null && !shape.isJsonNull()) {
                    List<Dim> dims = new ArrayList<>();
                    for (JsonElement d : shape.getAsJsonArray()) {
                        if (d.isJsonNull()) {
                            dims.add(Dim.unknown());
                        } else if (d.getAsJsonPrimitive().isNumber()) {
                            dims.add(Dim.of(d.getAsLong()));
                        } else {
                            dims.add(Dim.sym(d.getAsString()));
                        }
                    }
                    sh = new Shape(dims);
                }
                out.add(new TensorSpec(string(s, "name"), type, sh));
            }
            return out;
        }
    }
}
