package dev.idspam.tools.badinput;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.build.TensorData;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.idspam.tools.badinput.Case.cli;

/** Training artifacts, checkpoints and runs: corruption, mismatches, resume, regeneration. */
final class ArtifactCases {
    private ArtifactCases() {
    }

    private static final String SST2_RUN = "sst2/run/";

    /** {@code idspam eval} on the trained SST-2 run. */
    private static String[] eval(String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** {@code idspam export} of the trained SST-2 run into a new folder. */
    private static String[] export() {
        return new String[] {"export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/out", "--threads", "1"};
    }

    /** {@code idspam train --resume} on the SST-2 run with the fixture's options, plus {@code extra}. */
    static String[] resume(String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs",
                "2", "--batch-size", "8", "--seed", "4", "--threads", "1", "--resume"));
        for (int i = 0; i < extra.length; i += 2) {
            int at = a.indexOf(extra[i]);
            if (at >= 0 && i + 1 < extra.length && !extra[i + 1].startsWith("--")) {
                a.set(at + 1, extra[i + 1]);
            } else {
                a.add(extra[i]);
                if (i + 1 < extra.length) {
                    a.add(extra[i + 1]);
                }
            }
        }
        return a.toArray(String[]::new);
    }

    /** {@code idspam generate} into the trained SST-2 run with the fixture's options, one of them replaced. */
    private static String[] generateOverRun(String option, String value) {
        List<String> a = new ArrayList<>(List.of("generate", "--backbone", "{ws}/backbone", "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--seed", "3", "--out", "{ws}/sst2/run"));
        int at = a.indexOf(option);
        if (at >= 0) {
            a.set(at + 1, value);
        } else {
            a.add(option);
            a.add(value);
        }
        return a.toArray(String[]::new);
    }

    /** Edits manifest.json and records the digest of the edited content, as if written that way. */
    static void resealed(Workspace ws, String manifest, Consumer<JsonObject> edit) throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(ws.path(manifest))).getAsJsonObject();
        edit.accept(o);
        o.addProperty(Manifest.CONTENT_DIGEST, Manifest.contentDigest(o));
        ws.write(manifest, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o));
    }

    /** Rewrites a checkpoint with the project's writer (checksum included), one trainable value replaced. */
    static void poisoned(Workspace ws, String from, String to, float value) throws Exception {
        Checkpoint c = Checkpoint.read(ws.path(from));
        List<NamedTensor> trainable = new ArrayList<>();
        for (NamedTensor t : c.trainable()) {
            float[] v = t.data().toFloats();
            if (trainable.size() == c.trainable().size() - 1) {
                v[v.length - 1] = value;
            }
            trainable.add(new NamedTensor(t.name(), TensorData.ofFloats(t.data().dims(), v)));
        }
        Files.deleteIfExists(ws.path(to));
        Files.deleteIfExists(ws.path(to + ".sha256"));
        new Checkpoint(trainable, c.frozen(), c.optimizer(), c.properties()).write(ws.path(to));
    }

    /** Replaces {@code to} (and its checksum file) by a copy of {@code from}'s. */
    static void copyCheckpoint(Workspace ws, String from, String to) throws Exception {
        for (String suffix : List.of("", ".sha256")) {
            ws.delete(to + suffix);
            Files.copy(ws.path(from + suffix), ws.path(to + suffix));
        }
    }

    static List<Case> rows() {
        return List.of(
                // ---- already handled: the training artifacts are checked against the manifest
                cli("eval graph changed after generation", "", ws -> ws.flipByte("sst2/run/eval_model.onnx", -10), 2,
                        "eval_model\\.onnx.*(SHA-256|checksum)",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/out", "--threads", "1"),
                cli("artifacts folder without a manifest", "", ws -> ws.delete("sst2/run/manifest.json"), 2, "manifest\\.json",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"),
                cli("training graph with a flipped byte", "", ws -> ws.flipByte(SST2_RUN + "training_model.onnx", 200), 2,
                        "training_model\\.onnx: SHA-256 mismatch", resume("--epochs", "3")),
                cli("optimizer graph truncated", "", ws -> ws.truncate(SST2_RUN + "optimizer_model.onnx", 100), 2,
                        "optimizer_model\\.onnx: size mismatch", eval()),
                cli("initial checkpoint deleted", "", ws -> ws.delete(SST2_RUN + "checkpoint"), 2,
                        "run/checkpoint: missing \\(listed in manifest\\.json\\)", export()),
                cli("manifest of an unknown format version", "", ws -> ws.editJson(SST2_RUN + "manifest.json",
                        o -> o.addProperty("formatVersion", 99)), 2, "manifest\\.json: format version 99 is not supported.*regenerate",
                        eval()),
                cli("manifest cut in half", "", ws -> ws.truncate(SST2_RUN + "manifest.json", 300), 2,
                        "manifest\\.json: not valid JSON", eval()),
                cli("manifest of the previous format", "", ws -> resealed(ws, SST2_RUN + "manifest.json", o -> {
                    o.remove(Manifest.CONTENT_DIGEST);
                    o.addProperty("formatVersion", 1);
                }), 2, "manifest\\.json: format version 1 is not supported \\(this build reads version 2\\); regenerate", eval()),
                cli("manifest without a required field", "", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.remove("eval")), 2, "manifest\\.json: field 'eval' is missing; regenerate", eval()),
                cli("manifest without the task", "", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("model").remove("task")), 2, "manifest\\.json: field 'model\\.task' is missing",
                        eval()),

                // ---- F2: manifest.json checks itself, every file it names carries a digest and stays inside
                cli("manifest field removed by hand", "F2", ws -> ws.editJson(SST2_RUN + "manifest.json",
                        o -> o.remove("training")), 2, "manifest\\.json: content SHA-256 mismatch \\(contentSha256 says.*regenerate",
                        eval()),
                cli("manifest file digest edited", "F2", ws -> ws.editJson(SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("files").getAsJsonObject("eval_model.onnx").addProperty("sha256", "0".repeat(64))),
                        2, "manifest\\.json: content SHA-256 mismatch \\(contentSha256 says", export()),
                cli("manifest without its own digest", "F2", ws -> ws.editJson(SST2_RUN + "manifest.json",
                        o -> o.remove(Manifest.CONTENT_DIGEST)), 2, "manifest\\.json: field 'contentSha256' is missing", eval()),
                cli("manifest file entry without a digest", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("files").getAsJsonObject("checkpoint").remove("sha256")), 2,
                        "manifest\\.json: field 'files\\.checkpoint\\.sha256' is missing", eval()),
                cli("manifest file entry with a malformed digest", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("files").getAsJsonObject("checkpoint").addProperty("sha256", "abc")), 2,
                        "field 'files\\.checkpoint\\.sha256' should be a SHA-256", eval()),
                cli("manifest naming a file outside the folder", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json", o -> {
                    JsonObject files = o.getAsJsonObject("files");
                    files.add("../../cb/run/eval_model.onnx", files.get("eval_model.onnx").deepCopy());
                }), 2, "manifest\\.json: field 'files' names '\\.\\./\\.\\./cb/run/eval_model\\.onnx', which is not a plain file"
                        + " name inside the artifacts folder", export()),
                cli("manifest naming an absolute path", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json", o -> {
                    JsonObject files = o.getAsJsonObject("files");
                    files.add(ws.path("cb/run/checkpoint").toString(), files.get("checkpoint").deepCopy());
                }), 2, "field 'files' names '/.*cb/run/checkpoint', which is not a plain file name", eval()),
                cli("manifest tokenizer outside the folder", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("tokenizer").addProperty("file", "../../data/SST-2/train.tsv")), 2,
                        "field 'tokenizer\\.file' names '\\.\\./\\.\\./data/SST-2/train\\.tsv'", eval()),
                cli("manifest tokenizer without a digest", "F2", ws -> resealed(ws, SST2_RUN + "manifest.json",
                        o -> o.getAsJsonObject("tokenizer").remove("sha256")), 2, "field 'tokenizer\\.sha256' is missing",
                        resume("--epochs", "3")),

                // ---- F4: run checkpoints carry a checksum; NaN weights are refused
                cli("best checkpoint with a flipped byte", "F4", ws -> ws.flipByte(SST2_RUN + "best.ckpt", -100), 2,
                        "best\\.ckpt: SHA-256 mismatch \\(best\\.ckpt\\.sha256 says [0-9a-f]{64}, file has [0-9a-f]{64}\\)", eval()),
                cli("best checkpoint with a flipped byte, exported", "F4", ws -> ws.flipByte(SST2_RUN + "best.ckpt", 2000), 2,
                        "best\\.ckpt: SHA-256 mismatch", export()),
                cli("last checkpoint truncated", "F4", ws -> ws.truncate(SST2_RUN + "last.ckpt", 5000), 2,
                        "last\\.ckpt: SHA-256 mismatch", resume("--epochs", "3")),
                cli("best checkpoint without its checksum file", "F4", ws -> ws.delete(SST2_RUN + "best.ckpt.sha256"), 2,
                        "best\\.ckpt: has no checksum file best\\.ckpt\\.sha256", eval()),
                cli("checksum file that is not one", "F4", ws -> ws.write(SST2_RUN + "best.ckpt.sha256", "ok\n"), 2,
                        "best\\.ckpt\\.sha256: line 1 is not", export()),
                cli("NaN trainable weight in the best checkpoint", "F4",
                        ws -> poisoned(ws, SST2_RUN + "best.ckpt", SST2_RUN + "best.ckpt", Float.NaN), 2,
                        "best\\.ckpt: trainable tensor '[^']+' holds NaN \\(element \\d+ of \\d+\\)", eval()),
                cli("NaN trainable weight, exported", "F4",
                        ws -> poisoned(ws, SST2_RUN + "best.ckpt", SST2_RUN + "best.ckpt", Float.NaN), 2,
                        "best\\.ckpt: trainable tensor '[^']+' holds NaN", export()),
                cli("infinite trainable weight in a given checkpoint", "F4",
                        ws -> poisoned(ws, SST2_RUN + "last.ckpt", "inf.ckpt", Float.NEGATIVE_INFINITY), 2,
                        "inf\\.ckpt: trainable tensor '[^']+' holds -infinity", eval("--checkpoint", "{ws}/inf.ckpt")),
                cli("NaN weight in the checkpoint to resume from", "F4",
                        ws -> poisoned(ws, SST2_RUN + "last.ckpt", SST2_RUN + "last.ckpt", Float.NaN), 2,
                        "last\\.ckpt: trainable tensor '[^']+' holds NaN", resume("--epochs", "3")),

                // ---- F5: a checkpoint of another task is refused before ONNX Runtime sees it
                cli("best checkpoint of the other task", "F5", ws -> copyCheckpoint(ws, "cb/run/best.ckpt", SST2_RUN + "best.ckpt"),
                        2, "best\\.ckpt: does not fit .*sst2/run: tensor '[^']+' has shape FLOAT\\[[0-9, ]*3[0-9, ]*\\], expected"
                                + " FLOAT\\[[0-9, ]*2[0-9, ]*\\]", eval()),
                cli("best checkpoint of the other task, exported", "F5",
                        ws -> copyCheckpoint(ws, "cb/run/best.ckpt", SST2_RUN + "best.ckpt"), 2,
                        "best\\.ckpt: does not fit .*: tensor '[^']+' has shape .*, expected", export()),
                cli("given checkpoint of the other task", "F5", 2, "cb/run/last\\.ckpt: does not fit .*sst2/run: tensor",
                        eval("--checkpoint", "{ws}/cb/run/last.ckpt")),
                cli("resume from the other task's last checkpoint", "F5",
                        ws -> copyCheckpoint(ws, "cb/run/last.ckpt", SST2_RUN + "last.ckpt"), 2,
                        "last\\.ckpt: does not fit .*: tensor '[^']+' has shape", resume("--epochs", "3")),

                // ---- F7: resume with other options than the run was started with
                cli("resume with another --max-train-samples", "F7", 2,
                        "cannot resume .*last\\.ckpt: --max-train-samples was 0, now 20", resume("--max-train-samples", "20")),
                cli("resume with another --batch-size", "F7", 2, "--batch-size was 8, now 4", resume("--batch-size", "4")),
                cli("resume with another --lr", "F7", 2, "--lr was 0\\.001, now 0\\.01", resume("--lr", "0.01")),
                cli("resume with another --seed", "F7", 2, "--seed was 4, now 5", resume("--seed", "5")),
                cli("resume with another --epochs", "F7", 2, "--epochs was 2, now 3", resume("--epochs", "3")),
                cli("resume with another --warmup-ratio", "F7", 2, "--warmup-ratio was 0\\.06, now 0\\.2",
                        resume("--warmup-ratio", "0.2")),
                cli("resume with another --grad-accumulation", "F7", 2, "--grad-accumulation was 1, now 2",
                        resume("--grad-accumulation", "2")),

                // ---- F1 and F8: commands that fail leave a trained run as it was, and say what to run
                cli("train a new run over a trained one", "F8", 2, "sst2/run already holds last\\.ckpt from an earlier run; to"
                        + " continue that run, run train again with --resume; to start over, remove the run's checkpoints",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "1", "--threads", "1"),
                cli("train a new run over a best checkpoint", "F1", ws -> {
                    ws.delete(SST2_RUN + "last.ckpt");
                    ws.delete(SST2_RUN + "last.ckpt.sha256");
                }, 2, "sst2/run already holds best\\.ckpt from an earlier run",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "1", "--threads", "1"),
                cli("generate over a trained run with --layer 99", "F1", 2, "(?i)layer.*99|99.*layer",
                        generateOverRun("--layer", "99")),
                cli("generate over a trained run with --generator-heads 7", "F1", 2, "(?i)heads?\\b.*7|7.*heads?\\b",
                        generateOverRun("--generator-heads", "7")),
                cli("generate over a trained run with --prompt-tokens 0", "F1", 2, "(?i)prompt.?tokens",
                        generateOverRun("--prompt-tokens", "0")),
                cli("generate over a trained run with --layer -1", "F1", 2, "(?i)layer",
                        generateOverRun("--layer", "-1")),
                cli("generate over a trained run with a too long --max-length", "F1", 2,
                        "--max-length\\)? 100 exceeds the backbone.s 64 positions", generateOverRun("--max-length", "100")),
                cli("generate over a trained run with a too short --max-length", "F1", 2, "--max-length\\)? must be >= 8, got 4",
                        generateOverRun("--max-length", "4")),
                cli("generate over a trained run from a missing backbone", "F1", 2, "(?i)backbone|nobackbone",
                        generateOverRun("--backbone", "{ws}/nobackbone")),
                cli("generate into a path that is a file", "F1", 2, "data/SST-2/train\\.tsv: --out must be a folder, this is a file",
                        generateOverRun("--out", "{ws}/data/SST-2/train.tsv")));
    }
}
