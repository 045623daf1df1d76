package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** Data files: missing, malformed rows, wrong labels. */
final class DataCases {
    private DataCases() {
    }

    static List<Case> rows() {
        return List.of(
                cli("label outside the task's labels", "", ws -> ws.append("data/SST-2/train.tsv", "a fun film .\t7\n"), 2,
                        "train\\.tsv.*line 50.*label",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "1", "--threads", "1"),
                cli("row with a missing column", "", ws -> ws.append("data/SST-2/dev.tsv", "no label here\n"), 2,
                        "dev\\.tsv.*line 18",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"),
                cli("no data for the task", "", ws -> ws.delete("data/CB/val.jsonl"), 2, "val\\.jsonl",
                        "eval", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--threads", "1"));
    }
}
