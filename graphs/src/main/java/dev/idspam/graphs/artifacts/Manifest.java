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
 * <p>Integrity. The manifest checks itself and everything it names:
 * <ul>
 *   <li>{@code contentSha256}, its last field, is the SHA-256 of the manifest's canonical content:
 *       the JSON object without that field, serialised compactly (no whitespace, members in file
 *       order, nulls kept, Gson's escaping; see {@link #contentDigest}). Reformatting the file keeps
 *       it valid; any edit of a name, value, size or digest is refused. It guards against damage and
 *       hand edits, not against someone who recomputes it.</li>
 *   <li>Every entry of {@code files} must carry {@code bytes} and {@code sha256} (64 lower-case hex
 *       digits), both checked against the file; a missing digest is an error, never a skipped
 *       check. A tokenizer reference that names a file must carry its {@code sha256} too.</li>
 *   <li>Every file name read from it ({@code files} keys, {@code tokenizer.file}) must be a plain
 *       name inside the artifacts folder: no path separator, not {@code .} or {@code ..}, not empty,
 *       hence never absolute.</li>
 * </ul>
 * Format version 2 introduced {@code contentSha256}; version 1 manifests are refused with
 * "regenerate" (their runs' checkpoints carry no checksums either).
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
    public static final int FORMAT_VERSION = 2;
    /** The field holding the digest of the rest of the manifest. */
    public static final String CONTENT_DIGEST = "contentSha256";
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

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
        for (String name : files.keySet()) {
            if (!ArtifactNames.isPlainFileName(name)) {
                throw new IllegalArgumentException("manifest file name '" + name + "' is not a plain file name");
            }
        }
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
        o.addProperty(CONTENT_DIGEST, contentDigest(o));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /**
     * SHA-256 of the manifest's canonical content: {@code manifest} without {@value #CONTENT_DIGEST},
     * serialised compactly (members in their order, nulls kept, no HTML escaping), as UTF-8.
     */
    public static String contentDigest(JsonObject manifest) {
        JsonObject body = manifest.deepCopy();
        body.remove(CONTENT_DIGEST);
        String canonical = new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(body);
        return Digests.sha256(canonical.getBytes(StandardCharsets.UTF_8));
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
            throw new ArtifactFormatException(source + ": not valid JSON (" + parserMessage(e) + "); regenerate the artifacts");
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
        String recorded = f.string(o, CONTENT_DIGEST);
        String actual = contentDigest(o);
        if (!recorded.equals(actual)) {
            throw new ArtifactFormatException(source + ": content SHA-256 mismatch (" + CONTENT_DIGEST + " says "
                    + recorded + ", content has " + actual + "); it was edited or damaged after it was written;"
                    + " regenerate the artifacts");
        }
        try {
            JsonObject model = f.object(o, "model");
            JsonElement tok = o.get("tokenizer");
            JsonObject tokenizer = tok == null || tok.isJsonNull() ? null : f.object(o, "tokenizer");
            if (tokenizer != null && tokenizer.has("file")) {
                f.plainName("tokenizer.file", f.string(tokenizer, "file", "tokenizer.file"));
                f.sha256(tokenizer, "tokenizer.sha256");
            }
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
                String name = e.getKey();
                f.plainName("files", name);
                String at = "files." + name;
                if (!e.getValue().isJsonObject()) {
                    throw new ArtifactFormatException(source + ": field '" + at + "' should be an object with bytes and"
                            + " sha256, found " + e.getValue() + "; regenerate the artifacts");
                }
                JsonObject fe = e.getValue().getAsJsonObject();
                long bytes = f.number(fe, "bytes", at + ".bytes").longValue();
                if (bytes < 0) {
                    throw new ArtifactFormatException(source + ": field '" + at + ".bytes' is negative; regenerate the"
                            + " artifacts");
                }
                files.put(name, new FileEntry(bytes, f.sha256(fe, at + ".sha256")));
            }
            return new Manifest(version, model, tokenizer, f.specs(training, "inputs"), trainOutputs,
                    f.specs(eval, "inputs"), f.specs(eval, "outputs"), f.group(params, "trainable"),
                    f.group(params, "frozen"), adamw, files);
        } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new ArtifactFormatException(source + ": malformed (" + e.getMessage() + "); regenerate the artifacts", e);
        }
    }

    /** What the JSON parser found, where (line, column, path), without the parser's exception type or help link. */
    static String parserMessage(JsonParseException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        int help = m.indexOf("\nSee https://");
        return (help >= 0 ? m.substring(0, help) : m).replaceAll("^(\\w+\\.)+\\w+(Exception|Error): ", "").strip();
    }

    /** Field access with errors that name the manifest and the field. */
    private record Fields(String source) {
        JsonElement get(JsonObject o, String name) throws ArtifactFormatException {
            return get(o, name, name);
        }

        /** {@code at} is the field's full name in messages, e.g. {@code files.checkpoint.sha256}. */
        JsonElement get(JsonObject o, String name, String at) throws ArtifactFormatException {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) {
                throw new ArtifactFormatException(source + ": field '" + at + "' is missing; regenerate the artifacts");
            }
            return e;
        }

        String string(JsonObject o, String name) throws ArtifactFormatException {
            return string(o, name, name);
        }

        String string(JsonObject o, String name, String at) throws ArtifactFormatException {
            JsonElement e = get(o, name, at);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new ArtifactFormatException(source + ": field '" + at + "' should be a string, found " + e);
            }
            return e.getAsString();
        }

        Number number(JsonObject o, String name) throws ArtifactFormatException {
            return number(o, name, name);
        }

        Number number(JsonObject o, String name, String at) throws ArtifactFormatException {
            JsonElement e = get(o, name, at);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new ArtifactFormatException(source + ": field '" + at + "' should be a number, found " + e);
            }
            return e.getAsNumber();
        }

        /** A SHA-256 field {@code at} (last part is the member name): required, 64 lower-case hex digits. */
        String sha256(JsonObject o, String at) throws ArtifactFormatException {
            String v = string(o, at.substring(at.lastIndexOf('.') + 1), at);
            if (!SHA256.matcher(v).matches()) {
                throw new ArtifactFormatException(source + ": field '" + at + "' should be a SHA-256 of 64 lower-case hex"
                        + " digits, found '" + v + "'; regenerate the artifacts");
            }
            return v;
        }

        /** Refuses a file name that could leave the artifacts folder. */
        void plainName(String at, String name) throws ArtifactFormatException {
            if (!ArtifactNames.isPlainFileName(name)) {
                throw new ArtifactFormatException(source + ": field '" + at + "' names '" + name + "', which is not a plain"
                        + " file name inside the artifacts folder (no path separator, not '.' or '..', not empty);"
                        + " regenerate the artifacts");
            }
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
