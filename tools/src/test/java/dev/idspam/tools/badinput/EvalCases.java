package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;

import java.util.ArrayList;
import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;
import static dev.idspam.tools.badinput.Case.cliStdin;

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
                cli("ci-eval suite with an unknown top-level key", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK
                        + "}], \"thresholds\": {}}"), 2, "suite.json: field 'thresholds' is not a known key", "ci-eval",
                        "{ws}/suite.json"),
                cli("ci-eval suite whose checks are not a list", "", ws -> ws.write("suite.json", "{\"checks\": " + CHECK
                        + "}}"), 2, "suite.json: field 'checks' must be a non-empty array", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check on an unknown device", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK
                        + ", \"device\": \"tpu\"}]}"), 2, "field 'checks\\[0]\\.device' must be cpu or cuda, found 'tpu'",
                        "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check with a negative max_samples", "", ws -> ws.write("suite.json", "{\"checks\": [" + CHECK
                        + ", \"max_samples\": -5}]}"), 2, "field 'checks\\[0]\\.max_samples' must be a whole number",
                        "ci-eval", "{ws}/suite.json"),
                // the reports go next to the workspace: the row checks that nothing inside it changes
                cli("ci-eval check whose model is missing", "", ws -> ws.write("suite.json", "{\"checks\": [{\"name\":"
                        + " \"gone\", \"model\": \"models/gone\", \"min\": {\"accuracy\": 0.5}}]}"), 2,
                        "gone: runs: .*models/gone: neither an exported bundle", "ci-eval", "{ws}/suite.json", "--out",
                        "{ws}/../missing-model-reports", "--threads", "1"),
                cli("ci-eval baseline that is not JSON", "", ws -> {
                    ws.write("suite.json", "{\"baseline\": \"base.json\", \"checks\": [" + CHECK + "}]}");
                    ws.write("base.json", "{\"format\": ");
                }, 2, "base.json: malformed JSON", "ci-eval", "{ws}/suite.json", "--out", "{ws}/../bad-baseline-reports"),
                // no CUDA provider here, or (a -Pgpu build) a test JVM already running on the CPU: exit 3 either way
                cli("eval --device cuda without a usable CUDA provider", "", 3, "(CUDA|cuda) was requested, but", "eval",
                        "--model", "{ws}/sst2/bundle", "--device", "cuda", "--data", "{ws}/data", "--threads", "1"),
                cli("ci-eval cuda check without a usable CUDA provider", "", ws -> ws.write("suite.json", "{\"checks\": ["
                        + CHECK + ", \"device\": \"cuda\"}]}"), 3, "dev: runs: environment: (CUDA|cuda) was requested, but",
                        "ci-eval", "{ws}/suite.json", "--out", "{ws}/../cuda-check-reports", "--threads", "1"),
                cliStdin("predict --stdin with a malformed JSON line", "", "{\"text\": \"a fun film .\"}\n\n{\"text\": \"du",
                        2, "standard input line 3: malformed JSON", "predict", "--model", "{ws}/sst2/bundle", "--stdin",
                        "--input-format", "jsonl"),
                cliStdin("predict --stdin with a JSON line without text", "", "{\"text_pair\": \"x\"}\n", 2,
                        "standard input line 1: field 'text' is missing", "predict", "--model", "{ws}/sst2/bundle", "-",
                        "--input-format", "jsonl"),
                cliStdin("predict --stdin with a text that is not a string", "", "{\"text\": \"ok\"}\n{\"text\": 5}\n", 2,
                        "standard input line 2: field 'text' must be a string", "predict", "--model", "{ws}/sst2/bundle",
                        "--stdin", "--input-format", "jsonl"),
                cliStdin("predict --stdin with a JSON array line", "", "[\"a fun film .\"]\n", 2,
                        "standard input line 1: expected a JSON object with \"text\"", "predict", "--model",
                        "{ws}/sst2/bundle", "--stdin", "--input-format", "jsonl"),
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
                cli("custom task file without the text column", "", ws -> ws.write("data/mine.csv", "t,y\na,x\nb,z\n"), 2,
                        "mine\\.csv line 1: no column 'text'; the header has \\[t, y]", "generate", "--backbone",
                        "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/mine.csv", "--dev-split", "0.5",
                        "--text-col", "text", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom training row without a label", "", ws -> ws.write("data/mine.tsv", "t\ty\na\tx\nb\t \n"), 2,
                        "mine\\.tsv line 3: column 'y' is empty; every training row needs a label", "generate",
                        "--backbone", "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/mine.tsv", "--dev",
                        "{ws}/data/mine.tsv", "--text-col", "t", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom CSV with an unclosed quote", "", ws -> ws.write("data/mine.csv", "t,y\n\"a,x\nb,z\n"), 2,
                        "mine\\.csv line 2: a quoted field is not closed", "generate", "--backbone", "{ws}/backbone",
                        "--task", "custom", "--train", "{ws}/data/mine.csv", "--dev-split", "0.5", "--text-col", "t",
                        "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom JSON-lines row that is not an object", "", ws -> ws.write("data/mine.jsonl",
                        "{\"t\": \"a\", \"y\": \"x\"}\n[1, 2]\n"), 2, "mine\\.jsonl line 2: expected a JSON object",
                        "generate", "--backbone", "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/mine.jsonl",
                        "--dev-split", "0.5", "--text-col", "t", "--label-col", "y", "--out", "{ws}/new-run"),
                cli("custom task with a dev file and a dev split", "", ws -> ws.write("data/mine.csv", "t,y\na,x\nb,z\n"), 2,
                        "needs a dev file or a dev split \\(--dev or --dev-split\\), exactly one of them", "generate",
                        "--backbone", "{ws}/backbone", "--task", "custom", "--train", "{ws}/data/mine.csv", "--dev",
                        "{ws}/data/mine.csv", "--dev-split", "0.5", "--text-col", "t", "--label-col", "y", "--out",
                        "{ws}/new-run"),
                cli("--regression with a built-in task", "", 2, "--regression applies to --task custom only", "generate",
                        "--backbone", "{ws}/backbone", "--task", "stsb", "--regression", "--out", "{ws}/new-run"),
                cli("--regression beside a task spec", "", ws -> ws.write("task.json", "{}"), 2,
                        "--regression and --task-spec both define the task", "generate", "--backbone", "{ws}/backbone",
                        "--task-spec", "{ws}/task.json", "--regression", "--out", "{ws}/new-run"),
                cli("custom task spec with an unknown key", "", ws -> ws.write("task.json", "{\"train\": \"data/x.csv\","
                        + " \"text_column\": \"t\"}"), 2, "task.json: field 'text_column' is not a known key",
                        "generate", "--backbone", "{ws}/backbone", "--task-spec", "{ws}/task.json", "--out", "{ws}/new-run"),
                cli("custom dev label the training rows lack", "", customRun("t,y\na,x\nb,z\n", "t,y\nc,x\nd,w\n"), 2,
                        "dev\\.csv line 3: column 'y': label 'w' is not one of the task's labels \\[x, z]", "eval",
                        "--artifacts", "{ws}/custom-run", "--threads", "1"),
                cli("custom dev row with an empty text", "", customRun("t,y\na,x\nb,z\n", "t,y\nc,x\n\"\",z\n"), 2,
                        "dev\\.csv line 3: column 't' is empty; expected a text", "eval", "--artifacts", "{ws}/custom-run",
                        "--threads", "1"),
                cli("custom regression target that is not a number", "", customRun("t,y\na,1.5\nb,2\n",
                        "t,y\nc,0.5\nd,high\n", "--regression"), 2, "dev\\.csv line 3: column 'y': 'high' is not a"
                        + " finite number", "eval", "--artifacts", "{ws}/custom-run", "--threads", "1"));
    }

    /** Writes train.csv and dev.csv under data/ and generates probe artifacts of a custom task on them in custom-run. */
    private static Case.Setup customRun(String train, String dev, String... extra) {
        return ws -> {
            ws.write("data/train.csv", train);
            ws.write("data/dev.csv", dev);
            String root = ws.root().toString();
            List<String> args = new ArrayList<>(List.of("generate", "--backbone", root + "/backbone", "--method",
                    "probe", "--max-length", "16", "--task", "custom", "--train", root + "/data/train.csv", "--dev",
                    root + "/data/dev.csv", "--text-col", "t", "--label-col", "y", "--out", root + "/custom-run"));
            args.addAll(List.of(extra));
            CliRun r = CliRun.of(args);
            if (r.exit() != 0) {
                throw new IllegalStateException("generate of the custom task failed: " + r.err());
            }
        };
    }
}
