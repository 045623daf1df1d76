package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/** Command-line usage: commands, options and their values. */
final class CliCases {
    private CliCases() {
    }

    /** Runs {@code generate} into a new folder of the workspace with the fixture's small settings plus {@code extra}. */
    private static String[] generate(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--backbone", "{ws}/backbone", "--task", "sst2",
                "--max-length", "32", "--out", "{ws}/new-run"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Runs {@code params} on the fixture's backbone (it builds the graphs, so it checks the layer against the backbone). */
    private static String[] params(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("params", "--backbone", "{ws}/backbone"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static String[] train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data",
                "--epochs", "1", "--threads", "1"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
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
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--device", "tpu"),
                cli("unknown split", "", 2, "--split must be dev, dev-mismatched or train",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--split", "test"),
                cli("option whose value is another option", "", 2, "--out needs a value \\(found --threads",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "--threads", "1"),

                // flags take no value
                cli("--resume given a value", "F8", 2, "--resume is a flag and takes no value", train("--resume", "false")),
                cli("--resume=false", "F8", 2, "--resume is a flag and takes no value", train("--resume=false")),
                cli("--skip-bad-rows given a value on eval", "F8", 2, "--skip-bad-rows is a flag and takes no value",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--skip-bad-rows", "no"),
                cli("--json=false on predict", "F8", 2, "--json is a flag and takes no value",
                        "predict", "--model", "{ws}/sst2/bundle", "--json=false", "a fun film ."),
                cli("a word a command does not take", "F8", 2, "export: unexpected argument 'extra'",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/out", "extra"),

                // huge values: a range error naming the option, never an overflow
                cli("--batch-size 2147483647 on train", "F8", 2,
                        "batch size \\(--batch-size\\) must be in \\[1, \\d+\\], got 2147483647", train("--batch-size", "2147483647")),
                cli("--batch-size 2147483647 on eval", "F8", 2,
                        "batch size \\(--batch-size\\) must be in \\[1, \\d+\\], got 2147483647",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--batch-size", "2147483647"),
                cli("--epochs 2147483647", "F8", 2, "epochs \\(--epochs\\) must be in \\[1, \\d+\\], got 2147483647",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "2147483647"),
                cli("--epochs 0", "F8", 2, "epochs \\(--epochs\\) must be in \\[1, \\d+\\], got 0",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "0"),
                cli("--patience -1", "F8", 2, "patience \\(--patience\\) must be in \\[0, \\d+\\], got -1",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--patience", "-1"),
                cli("--min-epochs without --patience", "F8", 2, "--min-epochs 2 holds off early stopping, but there is none",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--min-epochs", "2"),
                cli("--min-epochs past --epochs", "F8", 2, "minimum epochs \\(--min-epochs\\) must be in \\[0, 2\\], got 3",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--epochs", "2", "--patience", "1",
                        "--min-epochs", "3"),
                cli("--prefix-cache sometimes", "F8", 2, "--prefix-cache must be auto, off, memory or disk, got 'sometimes'",
                        "train", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--prefix-cache", "sometimes"),
                cli("--threads 2147483647", "F8", 2, "threads \\(--threads\\) must be in \\[1, \\d+\\], got 2147483647",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "2147483647"),
                cli("--threads 0", "F8", 2, "threads \\(--threads\\) must be in \\[1, \\d+\\], got 0",
                        "export", "--artifacts", "{ws}/sst2/run", "--out", "{ws}/out", "--threads", "0"),
                cli("--grad-accumulation 2147483647", "F8", 2,
                        "gradient accumulation \\(--grad-accumulation\\) must be in \\[1, \\d+\\]", train("--grad-accumulation",
                        "2147483647")),
                cli("--max-length 2147483647", "F8", 2, "max length \\(--max-length\\) 2147483647 exceeds the backbone's 64",
                        "generate", "--backbone", "{ws}/backbone", "--max-length", "2147483647", "--out", "{ws}/new-run"),
                cli("--max-length 4", "F8", 2, "max length \\(--max-length\\) must be >= 8, got 4",
                        "generate", "--backbone", "{ws}/backbone", "--max-length", "4", "--out", "{ws}/new-run"),
                cli("--max-train-samples -1", "F8", 2, "max train samples \\(--max-train-samples\\) must be in \\[0, ",
                        train("--max-train-samples", "-1")),
                cli("--lr NaN", "F8", 2, "--lr expects a finite number, got 'NaN'", train("--lr", "NaN")),
                cli("--lr 0", "F8", 2, "learning rate \\(--lr\\) must be a finite number > 0", train("--lr", "0")),
                cli("--warmup-ratio 1", "F8", 2, "warm-up ratio \\(--warmup-ratio\\) must be in \\[0.0, 1.0\\)",
                        train("--warmup-ratio", "1")),

                // method options: named as given, checked where the method's config is made
                cli("--prompt-tokens 0", "F8", 2, "prompt tokens \\(--prompt-tokens\\) must be in \\[1, \\d+\\], got 0",
                        generate("--prompt-tokens", "0")),
                cli("--prompt-tokens 2147483647", "F8", 2,
                        "prompt tokens \\(--prompt-tokens\\) must be in \\[1, \\d+\\], got 2147483647",
                        generate("--prompt-tokens", "2147483647")),
                cli("--prompt-tokens 0 for prompt tuning", "F8", 2, "prompt tokens \\(--prompt-tokens\\) must be in",
                        generate("--method", "prompt-tuning", "--prompt-tokens", "0")),
                cli("--layer -1", "F8", 2, "layer \\(--layer\\) must be >= 0, got -1", generate("--layer", "-1")),
                cli("--layer beyond the backbone", "F8", 2, "layer \\(--layer\\) must be in \\[0, 1\\] for a 2-layer backbone, got 99",
                        params("--layer", "99")),
                cli("--layer beyond the backbone for LPT", "F8", 2, "layer \\(--layer\\) must be in \\[0, 1\\]",
                        params("--method", "lpt", "--layer", "5")),
                cli("--prompt-dropout 1", "F8", 2, "prompt dropout \\(--prompt-dropout\\) must be in \\[0, 1\\), got 1.0",
                        generate("--prompt-dropout", "1")),
                cli("--bottleneck -1", "F8", 2, "bottleneck \\(--bottleneck\\) must be in \\[0, \\d+\\], got -1",
                        generate("--bottleneck", "-1")),
                cli("--generator-heads 0", "F8", 2, "generator heads \\(--generator-heads\\) must be >= 1, got 0",
                        generate("--generator-heads", "0")),
                cli("--generator-heads that do not divide the hidden size", "F8", 2,
                        "generator heads \\(--generator-heads\\) must divide the hidden size 16, got 7",
                        params("--layer", "1", "--generator-heads", "7")),
                cli("--lpt-rank 0", "F8", 2, "LPT rank \\(--lpt-rank\\) must be in \\[1, \\d+\\], got 0",
                        generate("--method", "lpt", "--layer", "1", "--lpt-rank", "0")),
                cli("--lora-rank 2147483647", "F8", 2, "LoRA rank \\(--lora-rank\\) must be in \\[1, \\d+\\], got 2147483647",
                        generate("--method", "lora", "--lora-rank", "2147483647")),
                cli("--lora-alpha 0", "F8", 2, "LoRA alpha \\(--lora-alpha\\) must be a finite number > 0",
                        generate("--method", "lora", "--lora-alpha", "0")),
                cli("--lora-alpha NaN", "F8", 2, "--lora-alpha expects a finite number, got 'NaN'",
                        generate("--method", "lora", "--lora-alpha", "NaN")),
                cli("--ptv2-init-std 0", "F8", 2,
                        "P-Tuning v2 initial prompt spread \\(--ptv2-init-std\\) must be a finite number > 0, got 0.0",
                        generate("--method", "ptuning-v2", "--ptv2-init-std", "0")),
                cli("--smop-prompts 0", "F8", 2, "SMoP prompts \\(--smop-prompts\\) must be in \\[1, 256\\], got 0",
                        generate("--method", "smop", "--smop-prompts", "0")),
                cli("--smop-router-noise -1", "F8", 2,
                        "SMoP router noise \\(--smop-router-noise\\) must be a finite number >= 0, got -1.0",
                        generate("--method", "smop", "--smop-router-noise", "-1")),
                cli("--dept-rank 0", "F8", 2, "DEPT rank \\(--dept-rank\\) must be in \\[1, \\d+\\], got 0",
                        generate("--method", "dept", "--dept-rank", "0")),
                cli("--dept-prompt-tokens 0", "F8", 2, "DEPT prompt tokens \\(--dept-prompt-tokens\\) must be in \\[1, \\d+\\], got 0",
                        generate("--method", "dept", "--dept-prompt-tokens", "0")),
                cli("a method option the method does not read", "F8", 2,
                        "--prompt-tokens does not apply to method lora; it takes --lora-rank, --lora-alpha",
                        generate("--method", "lora", "--prompt-tokens", "5")),
                cli("unknown method", "", 2, "--method must be one of \\[idspam, .*\\], got 'bert'", generate("--method", "bert")),

                // predict: what the bundle's task takes
                cli("predict with no text", "", 2, "predict: give one text, or two for a sentence-pair task \\(got 0\\)",
                        "predict", "--model", "{ws}/sst2/bundle"),
                cli("predict with three texts", "", 2, "give one text, or two for a sentence-pair task \\(got 3\\)",
                        "predict", "--model", "{ws}/cb/bundle", "a", "b", "c"),
                cli("a pair on a single-text task", "F8", 2, "task sst2 takes a single text, not a pair",
                        "predict", "--model", "{ws}/sst2/bundle", "a fun film .", "it was dull ."),
                cli("one text on a pair task", "F8", 2, "task cb takes a pair of texts",
                        "predict", "--model", "{ws}/cb/bundle", "a man runs in the park ."),
                cli("an empty text to predict", "F9", 2, "text 1 is empty", "predict", "--model", "{ws}/sst2/bundle", " "),
                cli("a second text that is empty", "F9", 2, "second text 1 is empty",
                        "predict", "--model", "{ws}/cb/bundle", "a man runs .", ""),

                // serve refuses its options before it loads anything or opens a port
                cli("serve without a model", "", 2, "serve: give at least one --model DIR \\(or NAME=DIR\\)", "serve", "--port", "0"),
                cli("serve a folder that is not there", "", 2, "serve: --model .*/nothing: .*/nothing is not a folder",
                        "serve", "--model", "{ws}/nothing"),
                cli("serve two bundles under one name", "", 2, "serve: --model: two bundles are named 'a'; name them with NAME=DIR",
                        "serve", "--model", "a={ws}/sst2/bundle", "--model", "a={ws}/cb/bundle"),
                cli("serve with a batch of none", "", 2, "serve: --max-batch must be between 1 and 4096, got 0",
                        "serve", "--model", "{ws}/sst2/bundle", "--max-batch", "0"),
                cli("serve on a port that does not exist", "", 2, "serve: --port must be between 0 and 65535, got 70000",
                        "serve", "--model", "{ws}/sst2/bundle", "--port", "70000"),
                cli("serve with batching settings but no batching", "", 2,
                        "serve: --max-batch and --max-wait-ms set micro-batching, which --no-batching switches off",
                        "serve", "--model", "{ws}/sst2/bundle", "--no-batching", "--max-wait-ms", "2"),
                cli("serve with a misspelt option", "", 2, "unknown option --max-wait\\b",
                        "serve", "--model", "{ws}/sst2/bundle", "--max-wait", "2"),

                // data rows with no text
                cli("an empty sentence in a data file", "F9", ws -> ws.append("data/SST-2/dev.tsv", " \t1\n"), 2,
                        "SST-2/dev\\.tsv line 18: text column 'sentence' is empty",
                        "eval", "--artifacts", "{ws}/sst2/run", "--data", "{ws}/data", "--threads", "1"),
                cli("an empty hypothesis in a data file", "F9", ws -> ws.append("data/CB/val.jsonl",
                        "{\"premise\": \"a man runs .\", \"hypothesis\": \"\", \"label\": \"neutral\", \"idx\": 99}\n"), 2,
                        "CB/val\\.jsonl line 13: field 'hypothesis' is empty",
                        "eval", "--artifacts", "{ws}/cb/run", "--data", "{ws}/data", "--threads", "1"));
    }
}
