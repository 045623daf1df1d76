package dev.idspam.tools;

import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.runtime.PrefixCache;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import dev.idspam.server.ServerConfig;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commands and their options, declared once: name, default, help text and examples of every
 * option of every command, from which picocli builds the parser, each command's help, and the bash
 * completion script. Method options come from the method registry's option schema. Option values
 * stay text here; {@link Args} turns them into numbers and paths with messages that name the option.
 */
final class Cli {
    /** One option: {@code def} is its default as text, or null where there is none or it is computed (help says how). */
    record Opt(String name, String label, String def, String help, boolean flag, boolean repeats) {
        static Opt value(String name, String label, String def, String help) {
            return new Opt(name, label, def, help, false, false);
        }

        static Opt flag(String name, String help) {
            return new Opt(name, null, null, help, true, false);
        }

        /** An option that may be given several times; its values reach {@link Args} one per line. */
        static Opt repeated(String name, String label, String help) {
            return new Opt(name, label, null, help, false, true);
        }
    }

    /** One command: its options, whether it takes positional words, a description and help examples. */
    record Command(String name, String description, List<Opt> options, String positional, List<String> examples) {
        Set<String> flags() {
            return options.stream().filter(Opt::flag).map(Opt::name).collect(Collectors.toSet());
        }

        Map<String, String> defaults() {
            Map<String, String> d = new LinkedHashMap<>();
            options.stream().filter(o -> o.def() != null).forEach(o -> d.put(o.name(), o.def()));
            return d;
        }
    }

    /** The program's name, as users type it. */
    static final String PROGRAM = "idspam";

    /** The output a run asks for: errors and the final result only, the usual, or more progress detail. */
    enum Verbosity { QUIET, NORMAL, VERBOSE }

    private Cli() {
    }

    // options shared by several commands

    private static Opt backbone(String def) {
        return Opt.value("backbone", "ID|PATH", def, "backbone: " + BackboneCatalog.entries().stream()
                .map(BackboneCatalog.Entry::id).collect(Collectors.joining(", ")) + ", or a path (ONNX file, Hugging Face"
                + " folder, TF checkpoint)");
    }

    private static final Opt DEVICE = Opt.value("device", "cpu|cuda", "cpu", "where ONNX Runtime runs");
    private static final Opt THREADS = Opt.value("threads", "N", null, "native threads (default: the CPU cores, at most "
            + dev.idspam.pipeline.run.OptionRanges.MAX_THREADS + ")");
    private static final Opt DATA = Opt.value("data", "DIR", null, "data folder (default: $IDSPAM_DATA, else data/ and"
            + " shared/data under the repository, then the download cache)");
    private static final Opt TASK = Opt.value("task", "TASK", "sst2", "task: sst2, mrpc, rte, cb, wic, multirc, ...");
    private static final Opt SEED = Opt.value("seed", "S", "42", "random seed");
    private static final Opt SKIP_BAD_ROWS = Opt.flag("skip-bad-rows", "skip malformed data rows instead of stopping");
    private static final Opt DOWNLOAD = Opt.flag("download", "download a data set that is not on disk");

    /** The options of {@code --task custom}: a user's own CSV, TSV or JSON-lines files. */
    static final List<Opt> CUSTOM_TASK = List.of(
            Opt.value("train", "FILE", null, "--task custom: the training file (.csv, .tsv or .jsonl, a header row)"),
            Opt.value("dev", "FILE", null, "--task custom: the dev file (or --dev-split)"),
            Opt.value("dev-split", "X", null, "--task custom: hold out this share of --train as dev, by --seed"),
            Opt.value("text-col", "NAME", null, "--task custom: the column (JSON field) of the text"),
            Opt.value("text-pair-col", "NAME", null, "--task custom: the column of the second text, for pair tasks"),
            Opt.value("label-col", "NAME", null, "--task custom: the column of the label (or of the target with"
                    + " --regression)"),
            Opt.flag("regression", "--task custom: the label column holds numbers to regress"),
            Opt.value("task-name", "NAME", CustomTaskOptions.DEFAULT_NAME, "--task custom: the task's name in reports,"
                    + " bundles and the server"),
            Opt.value("task-spec", "FILE", null, "a JSON file defining a custom task (the same fields: train, dev,"
                    + " dev_split, seed, text_col, text_pair_col, label_col, labels, regression, name)"));

    private static List<Opt> methodOptions() {
        List<Opt> out = new ArrayList<>();
        out.add(Opt.value("method", "ID", MethodRegistry.reference().id(), "method: " + String.join(", ", MethodRegistry.ids())));
        for (MethodOption o : MethodRegistry.allOptions()) {
            String readers = MethodRegistry.providers().stream().filter(p -> p.options().contains(o)).map(MethodProvider::id)
                    .collect(Collectors.joining(", "));
            out.add(Opt.value(o.name(), o.whole() ? "N" : "X", o.defaultText(), o.help() + "; range " + o.rangeText()
                    + " (methods: " + readers + ")"));
        }
        return out;
    }

    private static List<Opt> generateOptions() {
        List<Opt> out = new ArrayList<>(List.of(backbone(BackboneCatalog.DEFAULT_ID)));
        out.addAll(methodOptions());
        out.addAll(List.of(TASK, SEED, Opt.value("max-length", "L", "128", "longest input in tokens the graphs take"),
                Opt.value("weight-decay", "X", "0.0", "AdamW weight decay"),
                Opt.value("head-pooling", "P", "auto", "what the task head reads: first (the first real token, as in the"
                        + " paper), mean (the mean over the input tokens; learns faster on sentence-embedding backbones"
                        + " such as minilm-l6 and bge-small), last (the last real token, for decoders such as GPT-2) or"
                        + " auto (first on encoders, last on decoders)")));
        out.addAll(CUSTOM_TASK);
        return out;
    }

    private static List<Opt> trainOptions(String epochs, String maxTrainSamples) {
        return List.of(DATA, Opt.value("epochs", "E", epochs, "training epochs"),
                Opt.value("batch-size", "B", "32", "examples per batch"),
                Opt.value("lr", "LR", "0.001", "peak learning rate"),
                Opt.value("warmup-ratio", "X", "0.06", "share of the updates spent warming up the learning rate"),
                Opt.value("grad-accumulation", "K", "1", "batches per update"),
                Opt.value("max-train-samples", "N", maxTrainSamples, "train on the first N examples (0 = all)"),
                Opt.flag("resume", "continue from the last checkpoint of the artifacts folder"), SKIP_BAD_ROWS, DOWNLOAD,
                Opt.value("prefix-cache", "MODE", PrefixCache.Mode.AUTO.option(), "compute the frozen layers below the"
                        + " prompt once and reuse them every epoch: auto (memory when it fits the cap), off, memory, disk"),
                Opt.value("patience", "N", "0", "stop after N epochs in a row without a better dev metric; the best"
                        + " epoch is kept (0 = train every epoch)"),
                Opt.value("min-epochs", "N", "0", "early stopping waits until N epochs are complete (0 = no wait;"
                        + " needs --patience)"),
                Opt.value("prefix-cache-max-mb", "MB", Integer.toString(TrainJob.DEFAULT_PREFIX_CACHE_MAX_MB),
                        "largest prefix cache (MiB) that auto, memory or disk may build"));
    }

    private static List<Opt> concat(List<Opt> a, List<Opt> b) {
        List<Opt> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Every command, in help order. */
    static List<Command> commands() {
        List<Opt> demo = new ArrayList<>(List.of(Opt.value("out", "DIR", "runs/demo", "work folder")));
        demo.addAll(generateOptions());
        demo.removeIf(o -> o.name().equals("seed"));
        demo.addAll(concat(trainOptions("2", "12000"), List.of(SEED, DEVICE, THREADS)));
        List<Opt> generate = new ArrayList<>(generateOptions());
        generate.add(Opt.value("out", "DIR", null, "artifacts folder to write (required)"));
        List<Opt> params = new ArrayList<>(List.of(backbone(BackboneCatalog.DEFAULT_ID)));
        params.addAll(methodOptions());
        params.add(TASK);
        List<Opt> train = new ArrayList<>(List.of(Opt.value("artifacts", "DIR", null, "artifacts folder (required)")));
        train.addAll(trainOptions("3", "0"));
        train.addAll(List.of(SEED, DEVICE, THREADS));
        train.add(Opt.value("diagnostics", "N", "0", "after every epoch, record on N seeded dev examples the prompt's norm"
                + " against the hidden states', the attention on the prompt per layer and each tensor's gradient"
                + " average, with charts (prompt methods; 0 = off)"));
        String layer = MethodSettings.LAYER.defaultText();
        return List.of(
                new Command("demo", "generate, train, evaluate, export and predict on the embedded default (MiniLM, SST-2)",
                        demo, null, List.of("idspam demo", "idspam demo --epochs 1 --max-train-samples 2000")),
                new Command("generate", "write the training artifacts of a method on a backbone for a task", generate, null,
                        List.of("idspam generate --backbone minilm-l6 --method " + MethodRegistry.reference().id()
                                + " --layer " + layer + " --prompt-tokens 10 --task sst2 --out runs/sst2")),
                new Command("train", "train generated artifacts on a task's data", train, null,
                        List.of("idspam train --artifacts runs/sst2 --epochs 3 --batch-size 32 --lr 1e-3",
                                "idspam train --artifacts runs/sst2 --resume")),
                new Command("eval", "score an exported bundle or trained artifacts on a task's split", evalOptions(),
                        null, List.of("idspam eval --artifacts runs/sst2 --split dev",
                                "idspam eval --model runs/sst2-bundle --json",
                                "idspam eval --model runs/sst2-bundle --task imdb --max-samples 2000 --predictions imdb.jsonl")),
                new Command("diagnose", "what a trained prompt does in the backbone: prompt and hidden-state norms at"
                        + " layer m, and the attention each later layer puts on the prompt", List.of(
                        Opt.value("model", "BUNDLE", null, "a full bundle of a prompt method (required)"), DATA,
                        Opt.value("split", "SPLIT", "dev", "dev, dev-mismatched or train"),
                        Opt.value("max-samples", "N", "256", "a seeded random sample of N examples (0 = all)"), SEED,
                        Opt.value("batch-size", "B", "32", "examples per batch"),
                        Opt.flag("json", "print the result as one JSON object"), SKIP_BAD_ROWS, DOWNLOAD), null,
                        List.of("idspam diagnose --model runs/demo/bundle", "idspam diagnose --model runs/demo/bundle --json")),
                new Command("ci-eval", "run a suite of evaluation checks with thresholds; writes JSON, Markdown and JUnit XML",
                        List.of(DATA, Opt.value("out", "DIR", null, "folder for results.json, summary.md and junit.xml"
                                        + " (default: ci-eval-results beside the suite)"),
                                Opt.value("baseline", "FILE", null, "baseline to compare with (default: the suite's"
                                        + " \"baseline\" field)"),
                                Opt.flag("update-baseline", "write this run's metrics as the new baseline"),
                                Opt.value("threads", "N", null, "native threads (default: the CPU cores, at most "
                                        + dev.idspam.pipeline.run.OptionRanges.MAX_THREADS + ")")),
                        "SUITE.json", List.of("idspam ci-eval eval/suite.json --out target/ci-eval",
                                "idspam ci-eval eval/suite.json --update-baseline")),
                new Command("export", "write a self-contained inference bundle", List.of(
                        Opt.value("artifacts", "DIR", null, "artifacts folder (required)"),
                        Opt.value("out", "BUNDLE", null, "bundle folder to write (required)"),
                        Opt.value("checkpoint", "FILE", null, "checkpoint to export (default: the best one of training)"),
                        Opt.flag("adapter", "write an adapter bundle: only the trained tensors, with the frozen backbone"
                                + " weights in one shared file under backbones/ beside --out"),
                        Opt.flag("plain", "write the encoder layers as training built them, without ONNX Runtime's fused"
                                + " MultiHeadAttention, SkipLayerNormalization and BiasGelu operators (the default fuses"
                                + " every layer of an encoder whose projections the method left plain; GPT-2 is always plain)"),
                        Opt.value("quantize", "MODE", "none", "none, or int8: dynamic int8 quantisation of the backbone's"
                                + " matrix products (full bundles; changes the logits slightly)"),
                        DEVICE, THREADS), null, List.of("idspam export --artifacts runs/sst2 --out runs/sst2-bundle",
                                "idspam export --artifacts runs/sst2 --out runs/bundles/sst2 --adapter")),
                new Command("predict", "label a text, or a pair of texts, with an exported bundle: prints the label's"
                        + " name and each label's probability (a score for regression)", List.of(
                        Opt.value("model", "BUNDLE", null, "bundle folder (required)"),
                        Opt.flag("json", "print each result as one JSON object per line"),
                        Opt.flag("stdin", "read many inputs from standard input (also: the text '-')"),
                        Opt.value("input-format", "auto|lines|jsonl", "auto", "standard input: one text per line, JSON"
                                + " lines with \"text\" and \"text_pair\", or auto (JSON lines when the first line is a JSON object)"),
                        Opt.value("batch-size", "B", "32", "inputs per model run with --stdin")), "TEXT",
                        List.of("idspam predict --model runs/sst2-bundle \"a gorgeous film\"",
                                "idspam predict --model runs/sst2-bundle --json -- \"--dashes start this text\"",
                                "cat reviews.txt | idspam predict --model runs/sst2-bundle --stdin --json",
                                "idspam predict --model runs/rte-bundle --input-format jsonl - < pairs.jsonl")),
                new Command("params", "count a method's trainable and frozen parameters on a backbone", params, null,
                        List.of("idspam params --backbone minilm-l6 --method lora --lora-rank 16")),
                new Command("experiment", "run a grid of runs from a spec file into a results store", List.of(DATA,
                        Opt.value("out", "DIR", null, "output folder (default: runs/experiments/<spec id>)"),
                        Opt.flag("dry-run", "list the runs without running them"),
                        Opt.flag("keep-checkpoints", "keep every run's checkpoints"), DEVICE, THREADS), "SPEC.json",
                        List.of("idspam experiment experiments/minilm-glue.json --dry-run")),
                new Command("select-layer", "choose the injection layer m by successive halving: every candidate"
                        + " starts on a short budget, the better half goes on with twice the epochs, until one is left",
                        List.of(backbone(BackboneCatalog.DEFAULT_ID),
                                Opt.value("method", "ID", MethodRegistry.reference().id(), "a method that takes a layer"),
                                TASK, DATA,
                                Opt.value("layers", "M,M,...", null, "candidate layers (default: every layer of the backbone)"),
                                Opt.value("budget", "E", "8", "epochs of the full schedule, which the chosen layer trains"),
                                Opt.value("batch-size", "B", "32", "examples per batch"),
                                Opt.value("lr", "LR", "0.001", "peak learning rate"),
                                Opt.value("max-train-samples", "N", "0", "train on a seeded random N examples (0 = all)"),
                                Opt.value("max-length", "L", "128", "longest input in tokens the graphs take"), SEED,
                                Opt.flag("grid", "afterwards train every candidate to the full budget (a grid search reusing"
                                        + " the selection's epochs), to compare the choice with the best layer"),
                                Opt.value("out", "DIR", null, "output folder (default: runs/select-layer/<backbone>-<task>-<method>)"),
                                DEVICE, THREADS), null,
                        List.of("idspam select-layer --backbone bge-small --task sst2 --max-train-samples 2000 --budget 8",
                                "idspam select-layer --task mrpc --layers 1,2,3,4 --budget 4 --grid")),
                new Command("report", "regenerate the reports from a results store", List.of(
                        Opt.value("store", "FILE", null, "results store (required)"),
                        Opt.value("out", "DIR", null, "report folder (required)")), null,
                        List.of("idspam report --store runs/experiments/minilm-glue/results.jsonl --out report")),
                new Command("benchmark", "measure training and inference throughput per method", List.of(
                        backbone("minilm-l6"), Opt.value("methods", "IDS", "idspam,lora,full", "comma-separated method ids"),
                        Opt.value("layer", "M", layer, "injection layer of the methods that take one"),
                        Opt.value("batch-size", "B", "32", "examples per batch"),
                        Opt.value("seq-len", "L", "128", "tokens per example of the fixed workload"),
                        Opt.value("warmup", "N", "1", "untimed rounds"), Opt.value("repetitions", "N", "3", "timed rounds"),
                        Opt.flag("no-data", "measure the fixed workload only"), DATA,
                        Opt.value("work", "DIR", "runs/benchmark", "work folder"),
                        Opt.value("dump-batches", "DIR", null, "also write every workload's batches (input ids, masks,"
                                + " token types, labels; .npy files and index.json) to DIR, for the PyTorch peer in bench/"),
                        Opt.flag("every-row", "also time each method with its last layer computing every row (as before"
                                + " the head's row was computed alone), as <id>/every-row"),
                        DEVICE, THREADS), null,
                        List.of("idspam benchmark --batch-size 32 --seq-len 128",
                                "idspam benchmark --methods idspam --dump-batches runs/peer/batches")),
                new Command("serve", "serve bundles over HTTP until stopped (SIGINT/SIGTERM), with micro-batching,"
                        + " limits and Prometheus metrics", serveOptions(), null,
                        List.of("idspam serve --model runs/sst2-bundle --port 8080",
                                "idspam serve --model sst2=runs/sst2-bundle --model cb=runs/cb-bundle --max-batch 16")),
                new Command("spark-score", "score a file of texts with a bundle on Apache Spark (local by default)", List.of(
                        Opt.value("model", "BUNDLE", null, "bundle folder (required)"),
                        Opt.value("input", "PATH", null, "file or folder to score (required)"),
                        Opt.value("format", "csv|tsv|json|parquet", null, "the input's format (required); tsv: tab-separated"
                                + " with a header row and no quoting"),
                        Opt.value("text-col", "NAME", null, "column of the text (required)"),
                        Opt.value("text-pair-col", "NAME", null, "column of the second text, for pair models"),
                        Opt.value("output", "PATH", null, "where the scored rows go (required; must not exist)"),
                        Opt.value("output-format", "csv|tsv|json|parquet", null, "the output's format (default: the input's)"),
                        Opt.value("rejects", "PATH", null, "where rows with a null or empty text go (default: OUTPUT-rejects)"),
                        Opt.value("master", "URL", "local[*]", "Spark master"),
                        Opt.value("batch-size", "B", "32", "rows per model run"),
                        Opt.value("threads", "N", "1", "intra-op threads of each partition's predictor"),
                        Opt.flag("ship", "ship the bundle to the executors with addFile (clusters without a shared path)")),
                        null, List.of("idspam spark-score --model runs/sst2-bundle --input reviews.csv --format csv"
                                + " --text-col review --output scored", "idspam spark-score --model runs/sst2-bundle --input"
                                + " data/SST-2/train.tsv --format tsv --text-col sentence --output scored --master local[2]")),
                new Command("completion", "print a bash completion script (source it, or save it under"
                        + " /etc/bash_completion.d/)", List.of(), null, List.of("source <(idspam completion)")));
    }

    private static List<Opt> evalOptions() {
        return List.of(
                Opt.value("model", "DIR", null, "an exported bundle or a trained artifacts folder (this or --artifacts)"),
                Opt.value("artifacts", "DIR", null, "a trained artifacts folder (this or --model)"),
                Opt.value("task", "TASK", null, "task to score on (default: the model's own); another task with the same"
                        + " labels scores zero-shot transfer"), DATA,
                Opt.value("split", "SPLIT", "dev", "dev, dev-mismatched or train"),
                Opt.value("max-samples", "N", "0", "score a seeded random sample of N examples (0 = all)"), SEED,
                Opt.value("checkpoint", "FILE", null, "checkpoint to score, artifacts only (default: the best one of"
                        + " training)"),
                Opt.value("batch-size", "B", "32", "examples per batch"),
                Opt.flag("json", "print the result as one JSON object"),
                Opt.value("predictions", "FILE", null, "write per-example predictions (JSON lines)"),
                SKIP_BAD_ROWS, DOWNLOAD, DEVICE, THREADS);
    }

    /** The server's options; their defaults are {@link ServerConfig#defaults()}'s, written there once. */
    private static List<Opt> serveOptions() {
        ServerConfig d = ServerConfig.defaults();
        return List.of(
                Opt.repeated("model", "[NAME=]BUNDLE", "a bundle folder to serve, under its folder's name or NAME (repeat for"
                        + " several; required)"),
                Opt.value("host", "HOST", d.host(), "address to listen on"),
                Opt.value("port", "N", Integer.toString(d.port()), "port to listen on (0: any free port)"),
                Opt.flag("no-batching", "run each request on its own instead of micro-batching"),
                Opt.value("max-batch", "N", Integer.toString(d.maxBatch()), "most examples in one micro-batch"),
                Opt.value("max-wait-ms", "N", Integer.toString(d.maxWaitMs()), "longest wait for a micro-batch to fill"),
                Opt.value("max-body-bytes", "N", Long.toString(d.maxBodyBytes()), "largest request body (413 above)"),
                Opt.value("max-inputs", "N", Integer.toString(d.maxInputs()), "most inputs in one request (413 above)"),
                Opt.value("max-chars", "N", Integer.toString(d.maxChars()), "longest text in characters (413 above)"),
                Opt.value("max-queue", "N", Integer.toString(d.maxQueue()), "most examples waiting per model (429 above)"),
                Opt.value("timeout-ms", "N", Integer.toString(d.timeoutMs()), "longest wait of a request for its batch (503)"),
                Opt.value("threads", "N", Integer.toString(d.threads()), "native threads per model"),
                Opt.value("shutdown-ms", "N", Integer.toString(d.shutdownMs()), "how long shutdown waits for requests in flight"),
                Opt.value("retry-after", "S", Integer.toString(d.retryAfterSecs()), "Retry-After seconds sent with 429 and 503"));
    }

    static Command command(String name) {
        return commands().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new Args.UsageException("unknown command '" + name + "'"));
    }

    /** The version the build wrote into {@code idspam-version.properties}. */
    static String version() {
        try (InputStream in = Cli.class.getResourceAsStream("idspam-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The picocli model of every command under {@code idspam}, for parsing, help and completion. */
    static CommandLine commandLine() {
        CommandSpec root = CommandSpec.create().name(PROGRAM).version(PROGRAM + " " + version());
        root.usageMessage().description("ID-SPAM: input-dependent soft prompts for frozen transformer backbones.")
                .footer(("%nMethods: " + String.join(", ", MethodRegistry.ids()) + "%nBackbones: "
                        + BackboneCatalog.entries().stream().map(BackboneCatalog.Entry::id).collect(Collectors.joining(", "))
                        + ", or a path (ONNX file, Hugging Face folder, TF checkpoint)"
                        + "%nExit status: 0 ok, 1 a check failed, 2 bad usage or input, 3 environment (no GPU, out of"
                        + " memory).%nRun `" + PROGRAM + " <command> --help` for the options of one command.")
                        .replace("%n", "\n").replace("%", "%%").replace("\n", "%n"));
        root.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("print this help").build());
        root.addOption(OptionSpec.builder("--version", "-V").versionHelp(true).description("print the version").build());
        root.addOption(global("--quiet", "print only errors and the final result"));
        root.addOption(global("--verbose", "print more progress detail"));
        CommandLine cl = configure(new CommandLine(root));
        for (Command c : commands()) {
            CommandSpec s = CommandSpec.create().name(c.name());
            s.usageMessage().description(c.description()).sortOptions(false)
                    .footerHeading("%nExamples:%n").footer(c.examples().stream().map(e -> "  " + e.replace("%", "%%"))
                            .collect(Collectors.joining("%n")));
            s.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("print this help").build());
            for (Opt o : c.options()) {
                OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(o.help().replace("%", "%%"));
                if (o.flag()) {
                    b.type(boolean.class).arity("0");
                } else if (o.repeats()) {
                    b.type(String[].class).arity("1").paramLabel(o.label());
                } else {
                    b.type(String.class).arity("1").paramLabel(o.label());
                    if (o.def() != null) {
                        b.defaultValue(o.def()).showDefaultValue(CommandLine.Help.Visibility.ALWAYS);
                    }
                }
                s.addOption(b.build());
            }
            if (c.positional() != null) {
                s.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").type(String[].class).paramLabel(c.positional())
                        .build());
            }
            cl.addSubcommand(c.name(), configure(new CommandLine(s)));
        }
        return cl;
    }

    private static OptionSpec global(String name, String help) {
        return OptionSpec.builder(name).type(boolean.class).arity("0").description(help)
                .scopeType(CommandLine.ScopeType.INHERIT).build();
    }

    private static CommandLine configure(CommandLine cl) {
        return cl.setExpandAtFiles(false).setPosixClusteredShortOptionsAllowed(false).setOverwrittenOptionsAllowed(false)
                .setAbbreviatedOptionsAllowed(false).setTrimQuotes(false).setSplitQuotedStrings(false)
                .setUnmatchedArgumentsAllowed(false).setCaseInsensitiveEnumValuesAllowed(false);
    }

    /** A parsed command line: the command (null for none), its arguments, and what was asked of the program. */
    record Parsed(Command command, Args args, boolean help, boolean version, Verbosity verbosity, CommandLine target) { }

    /**
     * Parses {@code argv}; errors are {@link Args.UsageException}s that name the option or word at
     * fault, in the wording the rest of the command line uses.
     */
    static Parsed parse(String... argv) {
        CommandLine root = commandLine();
        String name = null;
        int end = argv.length;
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--")) {
                end = i;
                break;
            }
            if (name == null && !argv[i].startsWith("-")) {
                name = argv[i];
            }
        }
        Command command = name == null ? null : command(name);
        String where = command == null ? PROGRAM : command.name();
        if (command != null) {
            for (int i = 0; i < end; i++) {
                int eq = argv[i].indexOf('=');
                if (argv[i].startsWith("--") && eq > 2 && command.flags().contains(argv[i].substring(2, eq))) {
                    throw new Args.UsageException(where + ": " + argv[i].substring(0, eq) + " is a flag and takes no value");
                }
            }
        }
        // "--" ends the options: picocli sees the words before it; every word after it is positional
        String[] options = java.util.Arrays.copyOfRange(argv, 0, end);
        List<String> afterDashes = end < argv.length ? List.of(argv).subList(end + 1, argv.length) : List.of();
        ParseResult pr;
        try {
            pr = root.parseArgs(options);
        } catch (CommandLine.OverwrittenOptionException e) {
            throw new Args.UsageException(where + ": option " + optionName(e.getOverwritten()) + " given twice");
        } catch (CommandLine.MissingParameterException e) {
            String option = e.getMissing().isEmpty() ? "?" : optionName(e.getMissing().get(0));
            String found = null;
            for (int i = 0; i + 1 < end; i++) {
                if (argv[i].equals(option) && argv[i + 1].startsWith("-")) {
                    found = argv[i + 1];
                }
            }
            throw new Args.UsageException(where + ": option " + option + " needs a value" + (found == null ? ""
                    : " (found " + found + "; write " + option + "=VALUE for a value that starts with dashes)"));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String word = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            if (word.startsWith("-")) {
                int eq = word.indexOf('=');
                throw new Args.UsageException(where + ": unknown option " + (eq > 0 ? word.substring(0, eq) : word));
            }
            for (int i = 1; i < end; i++) {
                if (argv[i].equals(word) && argv[i - 1].startsWith("--") && command != null
                        && command.flags().contains(argv[i - 1].substring(2))) {
                    throw new Args.UsageException(where + ": " + argv[i - 1] + " is a flag and takes no value (found '" + word
                            + "' after it)");
                }
            }
            throw new Args.UsageException(where + ": unexpected argument '" + word + "'");
        } catch (CommandLine.ParameterException e) {
            throw new Args.UsageException(where + ": " + e.getMessage());
        }
        ParseResult sub = pr.subcommand();
        ParseResult last = sub == null ? pr : sub;
        boolean help = pr.isUsageHelpRequested() || (sub != null && sub.isUsageHelpRequested());
        boolean quiet = pr.hasMatchedOption("--quiet") || (sub != null && sub.hasMatchedOption("--quiet"));
        boolean verbose = pr.hasMatchedOption("--verbose") || (sub != null && sub.hasMatchedOption("--verbose"));
        if (quiet && verbose) {
            throw new Args.UsageException(where + ": give --quiet or --verbose, not both");
        }
        Verbosity v = quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
        Args args = null;
        if (command != null) {
            Map<String, String> given = new LinkedHashMap<>();
            for (OptionSpec o : last.matchedOptions()) {
                String key = o.longestName().substring(2);
                if (key.equals("help") || key.equals("quiet") || key.equals("verbose")) {
                    continue;
                }
                given.put(key, o.typeInfo().getType() == boolean.class ? "true"
                        : o.typeInfo().isMultiValue() ? String.join("\n", o.stringValues()) : o.getValue().toString());
            }
            List<String> words = new ArrayList<>();
            last.matchedPositionals().forEach(p -> words.addAll(p.stringValues()));
            words.addAll(afterDashes);
            args = new Args(command.name(), given, words, command.flags(), command.defaults());
        }
        return new Parsed(command, args, help, pr.isVersionHelpRequested(), v,
                sub == null ? root : root.getSubcommands().get(command.name()));
    }

    private static String optionName(CommandLine.Model.ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    /** The names of every option of a command, for tests: declared once here. */
    static Set<String> optionNames(String command) {
        return command(command).options().stream().map(Opt::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
