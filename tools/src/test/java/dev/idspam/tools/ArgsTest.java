package dev.idspam.tools;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {
    @Test
    void readsOptionsFlagsAndPositionals() {
        Args a = new Args("train", new String[] {"--epochs", "3", "--lr=0.001", "--resume", "text"}, Set.of("resume"));
        assertThat(a.getInt("epochs", 1)).isEqualTo(3);
        assertThat(a.getDouble("lr", 0)).isEqualTo(0.001);
        assertThat(a.flag("resume")).isTrue();
        assertThat(a.positional()).containsExactly("text");
        a.finish();
    }

    @Test
    void rejectsAnOptionNoCommandReads() {
        Args a = new Args("train", new String[] {"--epochs", "3", "--epoch", "4"}, Set.of());
        a.getInt("epochs", 1);
        assertThatThrownBy(a::finish).isInstanceOf(Args.UsageException.class).hasMessage("train: unknown option --epoch");
    }

    @Test
    void namesTheOptionOfABadNumber() {
        Args a = new Args("train", new String[] {"--batch-size", "many"}, Set.of());
        assertThatThrownBy(() -> a.getInt("batch-size", 32)).hasMessage("train: option --batch-size expects a number, got 'many'");
    }

    @Test
    void rejectsMissingValuesAndRepeats() {
        assertThatThrownBy(() -> new Args("eval", new String[] {"--data"}, Set.of())).hasMessage("eval: option --data needs a value");
        assertThatThrownBy(() -> new Args("eval", new String[] {"--data", "a", "--data", "b"}, Set.of()))
                .hasMessage("eval: option --data given twice");
        assertThatThrownBy(() -> new Args("eval", new String[] {}, Set.of()).required("artifacts"))
                .hasMessage("eval: missing required option --artifacts");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThatThrownBy(() -> Main.run("trian", new String[0])).isInstanceOf(Args.UsageException.class)
                .hasMessageContaining("unknown command 'trian'");
    }

    @Test
    void methodOptionsReachTheSpec() {
        Args a = new Args("generate", new String[] {"--method", "lpt", "--layer", "2", "--prompt-tokens", "5", "--lpt-rank", "64"},
                Set.of());
        var spec = Main.methodSpec(a);
        assertThat(spec.id()).isEqualTo("lpt");
        assertThat(spec.layer()).hasValue(2);
        assertThat(spec.integer("prompt-tokens")).isEqualTo(5);
        assertThat(spec.integer("lpt-rank")).isEqualTo(64);
        assertThat(spec.number("prompt-dropout")).isEqualTo(0.1);
        a.finish();
    }

    @Test
    void flagsTakeNoValue() {
        Args a = new Args("train", new String[] {"--resume", "false"}, Set.of("resume"));
        assertThat(a.flag("resume")).isTrue();
        assertThatThrownBy(a::finish).isInstanceOf(Args.UsageException.class)
                .hasMessage("train: --resume is a flag and takes no value (found 'false' after it)");
        assertThatThrownBy(() -> new Args("train", new String[] {"--resume=false"}, Set.of("resume")))
                .hasMessage("train: --resume is a flag and takes no value");
        Args absent = new Args("train", new String[] {}, Set.of("resume"));
        assertThat(absent.flag("resume")).isFalse();
    }

    @Test
    void wordsAreRefusedByCommandsThatTakeNone() {
        Args a = new Args("export", new String[] {"--out", "b", "extra"}, Set.of());
        a.get("out", null);
        assertThatThrownBy(a::finish).hasMessage("export: unexpected argument 'extra'");
    }

    @Test
    void doubleDashEndsTheOptions() {
        Args a = new Args("predict", new String[] {"--model", "b", "--", "--text that starts with dashes", "--json"},
                Set.of("json"));
        assertThat(a.get("model", null)).isEqualTo("b");
        assertThat(a.flag("json")).isFalse();
        assertThat(a.positional()).containsExactly("--text that starts with dashes", "--json");
        a.finish();
    }

    @Test
    void anOptionFollowedByAnotherOptionHasNoValue() {
        assertThatThrownBy(() -> new Args("export", new String[] {"--out", "--threads", "1"}, Set.of()))
                .hasMessageStartingWith("export: option --out needs a value (found --threads;");
        Args a = new Args("export", new String[] {"--out=--odd"}, Set.of());
        assertThat(a.get("out", null)).isEqualTo("--odd");
    }

    @Test
    void numbersMustBeFinite() {
        for (String v : new String[] {"NaN", "Infinity", "-Infinity"}) {
            Args a = new Args("train", new String[] {"--lr", v}, Set.of());
            assertThatThrownBy(() -> a.getDouble("lr", 1e-3)).hasMessage("train: option --lr expects a finite number, got '" + v + "'");
        }
    }

    @Test
    void methodOptionsThatTheMethodDoesNotReadAreRefused() {
        Args a = new Args("generate", new String[] {"--method", "lora", "--prompt-tokens", "5"}, Set.of());
        assertThatThrownBy(() -> Main.methodSpec(a)).isInstanceOf(Args.UsageException.class)
                .hasMessage("generate: --prompt-tokens does not apply to method lora; it takes --lora-rank, --lora-alpha");
        Args probe = new Args("generate", new String[] {"--method", "probe", "--layer", "2"}, Set.of());
        assertThatThrownBy(() -> Main.methodSpec(probe))
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
            Args a = new Args("generate", new String[] {"--method", c[0], c[1], c[2]}, Set.of());
            assertThatThrownBy(() -> Main.methodSpec(a)).as(String.join(" ", c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(c[3]);
        }
    }
}
