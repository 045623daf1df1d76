package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** Exported bundles and prediction. */
final class BundleCases {
    private BundleCases() {
    }

    static List<Case> rows() {
        return List.of(
                cli("bundle.json is not JSON", "", ws -> ws.write("sst2/bundle/bundle.json", "{ \"format\": "), 2,
                        "bundle\\.json.*malformed JSON", "predict", "--model", "{ws}/sst2/bundle", "a fun film ."),
                cli("bundle model changed after export", "", ws -> ws.flipByte("sst2/bundle/model.onnx", -10), 2,
                        "model\\.onnx.*SHA-256", "predict", "--model", "{ws}/sst2/bundle", "a fun film ."));
    }
}
