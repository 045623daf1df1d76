package dev.idspam.tools;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodRegistry;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line as picocli parses it from the declared commands, and the values {@link Args} reads. */
class CliTest {
    private static Args args(String... argv) {
        return Cli.parse(argv).args();
    }

    private static CliRun run(String... argv) {
        return CliRun.of(argv);
    }

    @Test
    void readsOptionsFlagsDefaultsAndPositionals() {
        Args a = args("train", "--artifacts", "run", "--epochs", "5", "--lr=0.002", "--resume");
        assertThat(a.getInt("epochs")).isEqualTo(5);
        assertThat(a.getDouble("lr")).isEqualTo(0.002);
        assertThat(a.getInt("batch-size")).as("declared default").isEqualTo(32);
        assertThat(a.flag("resume")).isTrue();
        assertThat(a.flag("download")).isFalse();
        Args demo = args("demo");
        assertThat(demo.getInt("epochs")).as("the demo's own default").isEqualTo(2);
        assertThat(demo.getInt("max-train-samples")).isEqualTo(12000);
        Args p = args("predict", "--model", "b", "--", "--text that starts with dashes", "--json");
        assertThat(p.flag("json")).isFalse();
        assertThat(p.positional()).containsExactly("--text that starts with dashes", "--json");
    }

    @Test
    void usageErrorsNameTheOptionOrWord() {
        assertThatThrownBy(() -> args("train", "--artifacts", "r", "--epoch", "4")).isInstanceOf(Args.UsageException.class)
                .hasMessage("train: unknown option --epoch");
        assertThatThrownBy(() -> args("eval", "--data")).hasMessage("eval: option --data needs a value");
        assertThatThrownBy(() -> args("export", "--out", "--threads", "1"))
                .hasMessageStartingWith("export: option --out needs a value (found --threads;");
        assertThatThrownBy(() -> args("eval", "--data", "a", "--data", "b")).hasMessage("eval: option --data given twice");
        assertThatThrownBy(() -> args("train", "--resume", "false"))
                .hasMessage("train: --resume is a flag and takes no value (found 'false' after it)");
        assertThatThrownBy(() -> args("train", "--resume=false")).hasMessage("train: --resume is a flag and takes no value");
        assertThatThrownBy(() -> args("export", "--out", "b", "extra")).hasMessage("export: unexpected argument 'extra'");
        assertThatThrownBy(() -> args("trian")).hasMessage("unknown command 'trian'");
        assertThatThrownBy(() -> args("eval").required("artifacts")).hasMessage("eval: missing required option --artifacts");
        assertThatThrownBy(() -> args("train", "--batch-size", "many").getInt("batch-size"))
                .hasMessage("train: option --batch-size expects a number, got 'many'");
        for (String v : new String[] {"NaN", "Infinity", "-Infinity"}) {
            assertThatThrownBy(() -> args("train", "--lr", v).getDouble("lr"))
                    .hasMessage("train: option --lr expects a finite number, got '" + v + "'");
        }
        assertThatThrownBy(() -> args("train", "--quiet", "--verbose")).hasMessage("train: give --quiet or --verbose, not both");
    }

    @Test
    void methodOptionsComeFromTheRegistryAndReachTheSpec() {
        for (MethodOption o : MethodRegistry.allOptions()) {
            assertThat(Cli.optionNames("generate")).contains(o.name());
            assertThat(Cli.optionNames("params")).contains(o.name());
        }
        Args a = args("generate", "--method", "lpt", "--layer", "2", "--prompt-tokens", "5", "--lpt-rank", "64");
        var spec = Main.methodSpec(a);
        assertThat(spec.id()).isEqualTo("lpt");
        assertThat(spec.layer()).hasValue(2);
        assertThat(spec.integer("prompt-tokens")).isEqualTo(5);
        assertThat(spec.integer("lpt-rank")).isEqualTo(64);
        assertThat(spec.number("prompt-dropout")).isEqualTo(0.1);
        assertThat(Main.methodSpec(args("generate")).id()).isEqualTo(MethodRegistry.reference().id());
    }

    @Test
    void methodOptionsThatTheMethodDoesNotReadAreRefused() {
        assertThatThrownBy(() -> Main.methodSpec(args("generate", "--method", "lora", "--prompt-tokens", "5")))
                .isInstanceOf(Args.UsageException.class)
                .hasMessage("generate: --prompt-tokens does not apply to method lora; it takes --lora-rank, --lora-alpha");
        assertThatThrownBy(() -> Main.methodSpec(args("generate", "--method", "probe", "--layer", "2")))
                .hasMessage("generate: --layer does not apply to method probe, which has no settings");
    }

    @Test
    void methodOptionRangesNameTheOption() {
        String[][] cases = {
            {"idspam", "--prompt-tokens", "0", "prompt tokens (--prompt-tokens) must be in [1, 1024], got 0"},
            {"idspam", "--prompt-tokens", "2147483647", "prompt tokens (--prompt-tokens) must be in [1, 1024], got 2147483647"},
            {"idspam", "--layer", "-1", "layer (--layer) must be >= 0, got -1"},
            {"idspam", "--prompt-dropout", "1", "prompt dropout (--prompt-dropout) must be in [0, 1), got 1.0"},
            {"idspam", "--bottleneck", "-2", "bottleneck (--bottleneck) must be in [0, 65536], got -2"},
            {"idspam", "--generator-heads", "0", "generator heads (--generator-heads) must be >= 1, got 0"},
            {"lpt", "--lpt-rank", "0", "LPT rank (--lpt-rank) must be in [1, 65536], got 0"},
            {"lora", "--lora-rank", "70000", "LoRA rank (--lora-rank) must be in [1, 65536], got 70000"},
            {"lora", "--lora-alpha", "-1", "LoRA alpha (--lora-alpha) must be a finite number > 0, got -1.0"},
            {"prompt-tuning", "--prompt-tokens", "0", "prompt tokens (--prompt-tokens) must be in [1, 1024], got 0"},
        };
        for (String[] c : cases) {
            Args a = args("generate", "--method", c[0], c[1], c[2]);
            assertThatThrownBy(() -> Main.methodSpec(a)).as(String.join(" ", c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(c[3]);
        }
    }

    @Test
    void eachCommandHasItsOwnHelpWithEveryOptionAndItsDefault() throws Exception {
        CliRun r = run("generate", "--help");
        assertThat(r.exit()).isZero();
        for (String o : Cli.optionNames("generate")) {
            assertThat(r.out()).contains("--" + o);
        }
        assertThat(r.out()).contains("Default: sst2").contains("Default: 42").contains("Default: 10").contains("Examples:")
                .doesNotContain("--artifacts");
        CliRun train = run("train", "--artifacts", "x", "--help");
        assertThat(train.out()).contains("--grad-accumulation").contains("Default: 0.06").doesNotContain("--prompt-tokens");
        CliRun top = run("--help");
        assertThat(top.out()).contains("generate").contains("experiment").contains("Exit status");
        assertThat(run().out()).isEqualTo(top.out());
    }

    @Test
    void benchmarkDumpsItsBatchesOnlyWhenAsked() {
        var spec = Benchmarks.spec(args("benchmark", "--methods", "idspam", "--no-data", "--dump-batches", "runs/peer/b"));
        assertThat(spec.dumpBatches()).isEqualTo(java.nio.file.Path.of("runs/peer/b"));
        assertThat(spec.data()).isNull();
        assertThat(spec.methods()).hasSize(1);
        assertThat(Benchmarks.spec(args("benchmark")).dumpBatches()).as("no dump by default").isNull();
        assertThatThrownBy(() -> args("benchmark", "--dump-batches")).hasMessage("benchmark: option --dump-batches needs a value");
        assertThat(Cli.optionNames("benchmark")).contains("dump-batches");
    }

    @Test
    void versionCompletionAndUsageErrorsExitAsDocumented() throws Exception {
        CliRun v = run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out().strip()).matches("idspam \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        CliRun c = run("completion");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("complete -F").contains("--prompt-tokens").contains("generate");
        CliRun bad = run("train", "--epoch", "1");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).startsWith("idspam train: unknown option --epoch").contains("idspam train --help");
    }
}
