package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.ArtifactCases.resume;
import static dev.idspam.tools.badinput.Case.cli;

/** Data files: missing, malformed rows, wrong labels. */
final class DataCases {
    private DataCases() {
    }

    private static final String[] TRAIN_CB = {"train", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--epochs", "1",
        "--threads", "1"};
    private static final String[] EVAL_CB = {"eval", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--threads", "1"};
    private static final String[] EVAL_SST2 = {"eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"};

    /** A data error is the reader's message alone: it starts with the file, no prefix of another part. */
    private static final String ALONE = "^idspam (train|eval): [^:\\n]*(SST-2|CB)";

    private static String[] with(String[] base, String... extra) {
        String[] out = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, out, base.length, extra.length);
        return out;
    }

    /** Every data line of an SST-2 file with its label column broken. */
    private static String allLabelsBroken(int rows) {
        StringBuilder sb = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < rows; i++) {
            sb.append("a fun film .\tmaybe\n");
        }
        return sb.toString();
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
                        "eval", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--threads", "1"),

                // ---- F8: a data error names file and line, and nothing else in front of it
                cli("label that is a word, not 0 or 1", "F8", ws -> ws.append("data/SST-2/dev.tsv", "a dull film .\tpositive\n"), 2,
                        ALONE + "/dev\\.tsv line 18: .*label", EVAL_SST2),
                cli("CB line that is not JSON", "F8", ws -> ws.append("data/CB/train.jsonl", "{\"premise\": \"a dog\",\n"), 2,
                        ALONE + "/train\\.jsonl line 37", TRAIN_CB),
                cli("CB line that is a JSON array", "F8", ws -> ws.append("data/CB/val.jsonl", "[1, 2]\n"), 2,
                        ALONE + "/val\\.jsonl line 13", EVAL_CB),
                cli("CB label outside the task's labels", "F8", ws -> ws.append("data/CB/val.jsonl",
                        "{\"premise\": \"a dog runs .\", \"hypothesis\": \"it runs .\", \"label\": \"maybe\", \"idx\": 99}\n"), 2,
                        ALONE + "/val\\.jsonl line 13: .*label", EVAL_CB),
                cli("CB row without a hypothesis", "F8", ws -> ws.append("data/CB/train.jsonl",
                        "{\"premise\": \"a dog runs .\", \"label\": \"neutral\", \"idx\": 99}\n"), 2,
                        ALONE + "/train\\.jsonl line 37: .*hypothesis", TRAIN_CB),
                cli("SST-2 row with an extra column", "F8", ws -> ws.append("data/SST-2/train.tsv", "a film\t1\textra\n"), 2,
                        ALONE + "/train\\.tsv line 50", resume("--epochs", "3")),

                // ---- already handled: files without a single example
                cli("training file with only its header", "", ws -> ws.write("data/SST-2/train.tsv", "sentence\tlabel\n"), 2,
                        "train\\.tsv: no examples were read",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "1", "--threads", "1"),
                cli("empty CB dev file", "", ws -> ws.write("data/CB/val.jsonl", ""), 2, "val\\.jsonl: no examples were read",
                        EVAL_CB),

                // ---- F9: skipped rows are counted, also when nothing is left
                cli("every dev row skipped", "F9", ws -> ws.write("data/SST-2/dev.tsv", allLabelsBroken(16)), 2,
                        "dev\\.tsv: no examples were read; all 16 rows were malformed and skipped, the first: .*line 2",
                        with(EVAL_SST2, "--skip-bad-rows")),
                cli("every training row skipped", "F9", ws -> ws.write("data/SST-2/train.tsv", allLabelsBroken(5)), 2,
                        "train\\.tsv: no examples were read; all 5 rows were malformed and skipped",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "1", "--threads", "1",
                        "--skip-bad-rows", "--resume"),

                // ---- F7: resume with other data than the run was started with
                cli("resume after the training file changed", "F7",
                        ws -> ws.append("data/SST-2/train.tsv", "a very good film .\t1\n"), 2,
                        "cannot resume .*last\\.ckpt: training data was SST-2/train\\.tsv \\(SHA-256 [0-9a-f]{64}\\), now"
                                + " SST-2/train\\.tsv \\(SHA-256 [0-9a-f]{64}\\)", resume()),
                cli("resume after the dev file changed", "F7", ws -> ws.append("data/SST-2/dev.tsv", "a dull film .\t0\n"), 2,
                        "cannot resume .*: dev data was SST-2/dev\\.tsv", resume()),
                cli("resume with --skip-bad-rows added", "F7", 2, "--skip-bad-rows was false, now true",
                        resume("--skip-bad-rows")),
                cli("resume with another subset and batch size", "F7", 2,
                        "--max-train-samples was 0, now 30; --batch-size was 8, now 16",
                        resume("--max-train-samples", "30", "--batch-size", "16")),
                cli("resume the CB run after its training file was replaced", "F7",
                        ws -> ws.write("data/CB/train.jsonl", "{\"premise\": \"a dog .\", \"hypothesis\": \"a dog .\","
                                + " \"label\": \"entailment\", \"idx\": 0}\n"), 2, "training data was CB/train\\.jsonl",
                        "train", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--epochs", "2", "--batch-size", "8",
                        "--seed", "4", "--threads", "1", "--resume"));
    }
}
