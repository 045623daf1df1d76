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
        assertThat(spec.layer()).isEqualTo(2);
        assertThat(spec.promptTokens()).isEqualTo(5);
        assertThat(spec.lptRank()).isEqualTo(64);
        a.finish();
    }
}
