package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** Command-line usage: commands, options and their values. */
final class CliCases {
    private CliCases() {
    }

    static List<Case> rows() {
        return List.of(
                cli("unknown command", "", 2, "unknown command 'trian'", "trian"),
                cli("misspelt option", "", 2, "unknown option --epoch\\b",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epoch", "1"),
                cli("option without a value", "", 2, "--out needs a value", "export", "--artifacts", "{ws}/sst2/run", "--out"),
                cli("option given twice", "", 2, "--seed given twice",
                        "train", "--artifacts", "{ws}/sst2/run", "--seed", "1", "--seed", "2"),
                cli("number option with a word", "", 2, "--batch-size expects a number, got 'many'",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--batch-size", "many"),
                cli("missing required option", "", 2, "missing required option --artifacts", "train", "--data", "{ws}/data"),
                cli("unknown device", "", 2, "--device must be cpu or cuda",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--device", "tpu"));
    }
}
