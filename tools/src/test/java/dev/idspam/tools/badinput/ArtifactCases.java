package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** Training artifacts, checkpoints and runs: corruption, mismatches, resume, regeneration. */
final class ArtifactCases {
    private ArtifactCases() {
    }

    static List<Case> rows() {
        return List.of(
                cli("eval graph changed after generation", "", ws -> ws.flipByte("sst2/run/eval_model.onnx", -10), 2,
                        "eval_model\\.onnx.*(SHA-256|checksum)",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/out", "--threads", "1"),
                cli("artifacts folder without a manifest", "", ws -> ws.delete("sst2/run/manifest.json"), 2, "manifest\\.json",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"));
    }
}
