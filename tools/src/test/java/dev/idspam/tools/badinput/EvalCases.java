package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** {@code eval}, {@code ci-eval} and {@code predict} options and suites that are refused before anything is written. */
final class EvalCases {
    private EvalCases() {
    }

    private static final String CHECK = "{\"name\": \"dev\", \"model\": \"sst2/bundle\", \"data\": \"data\", \"min\": {\"accuracy\": 0.5}";

    static List<Case> rows() {
        return List.of(
                cli("eval with both --model and --artifacts", "", 2, "give --model \\(a bundle or artifacts folder\\) or"
                        + " --artifacts, one of them", "eval", "--model", "{ws}/sst2/bundle", "--artifacts", "{ws}/sst2/run"),
                cli("eval of a folder that is neither", "", 2, "data: neither an exported bundle \\(no bundle.json\\) nor"
                        + " trained artifacts", "eval", "--model", "{ws}/data", "--threads", "1"),
                cli("eval --max-samples -1", "", 2, "--max-samples must be >= 0", "eval", "--model", "{ws}/sst2/bundle",
                        "--max-samples", "-1"),
                cli("eval --checkpoint on a bundle", "", 2, "is an exported bundle: its weights are fixed", "eval", "--model",
                        "{ws}/sst2/bundle", "--checkpoint", "{ws}/sst2/run/best.ckpt", "--data", "{ws}/data", "--threads", "1"),
                cli("eval on a task with other labels", "", 2, "cannot score a model trained on sst2 \\(labels \\[negative,"
                        + " positive]\\) on cb", "eval", "--model", "{ws}/sst2/bundle", "--task", "cb", "--data", "{ws}/data",
                        "--threads", "1"),
                cli("eval --task custom", "", 2, "task custom is defined by its files", "eval", "--model", "{ws}/sst2/bundle",
                        "--task", "custom"),
                cli("ci-eval without a suite", "", 2, "ci-eval: give one suite file \\(got 0\\)", "ci-eval"),
                cli("ci-eval suite that is not there", "", 2, "suite.json: suite file not found", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval suite that is not JSON", "", ws -> ws.write("suite.json", "{\"checks\": ["), 2,
                        "suite.json: malformed JSON", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval suite with an unknown key", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK
                        + ", \"treshold\": 1}]}"), 2, "suite.json: field 'checks\\[0]\\.treshold' is not a known key",
                        "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check with nothing to check", "", ws -> ws.write("suite.json", "{\"checks\": [{\"name\": \"a\","
                        + " \"model\": \"sst2/bundle\"}]}"), 2, "field 'checks\\[0]' has nothing to check", "ci-eval",
                        "{ws}/suite.json"),
                cli("ci-eval check with a minimum that is not a number", "", ws -> ws.write("suite.json", "{\"checks\": ["
                        + "{\"name\": \"a\", \"model\": \"sst2/bundle\", \"min\": {\"accuracy\": \"high\"}}]}"), 2,
                        "field 'checks\\[0]\\.min\\.accuracy' must be a number", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval checks with one name", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK + "}, " + CHECK
                        + "}]}"), 2, "field 'checks\\[1]\\.name' 'dev' names two checks", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval suite mixing cpu and cuda", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK + "}, "
                        + "{\"name\": \"gpu\", \"model\": \"sst2/bundle\", \"device\": \"cuda\", \"min\": {\"accuracy\": 0}}]}"),
                        2, "field 'checks\\[1]\\.device' is cuda, but dev runs on cpu", "ci-eval", "{ws}/suite.json"),
                cli("predict --input-format without standard input", "", 2, "--input-format applies to --stdin",
                        "predict", "--model", "{ws}/sst2/bundle", "--input-format", "jsonl", "a fun film ."),
                cli("predict --stdin with a text", "", 2, "--stdin reads the inputs from standard input; give no text",
                        "predict", "--model", "{ws}/sst2/bundle", "--stdin", "a fun film ."),
                cli("predict --input-format xml", "", 2, "--input-format must be auto, lines or jsonl", "predict", "--model",
                        "{ws}/sst2/bundle", "--stdin", "--input-format", "xml"),
                cli("custom option with a built-in task", "", 2, "--label-col applies to --task custom only",
                        "generate", "--backbone", "{ws}/backbone", "--task", "sst2", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom task file with another extension", "", ws -> ws.write("data/mine.xlsx", "x"), 2,
                        "mine.xlsx: a custom task's files must end in .csv, .tsv or .jsonl", "generate", "--backbone",
                        "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/mine.xlsx", "--dev-split", "0.1",
                        "--text-col", "t", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom task with one label value", "", ws -> ws.write("data/one.csv", "t,y\na,x\nb,x\n"), 2,
                        "holds one label value \\[x]; a classifier needs at least two", "generate", "--backbone",
                        "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/one.csv", "--dev", "{ws}/data/one.csv",
                        "--text-col", "t", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom task spec with an unknown key", "", ws -> ws.write("task.json", "{\"train\": \"data/x.csv\","
                        + " \"text_column\": \"t\"}"), 2, "task.json: field 'text_column' is not a known key",
                        "generate", "--backbone", "{ws}/backbone", "--task-spec", "{ws}/task.json", "--out", "{ws}/new-run"));
    }
}
