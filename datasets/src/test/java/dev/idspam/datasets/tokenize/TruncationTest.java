package dev.idspam.datasets.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TruncationTest {

    @ParameterizedTest(name = "lengths {0},{1} budget {2} -> {3},{4}")
    @CsvSource({
        "3, 3, 10, 3, 3",    // fits
        "2, 20, 10, 2, 8",   // the short one fits in half: kept whole
        "20, 2, 10, 8, 2",
        "10, 10, 6, 3, 3",   // both long: halves
        "7, 8, 6, 3, 3",
        "5, 6, 5, 2, 3",     // odd budget: the extra token goes to the longer segment
        "6, 5, 5, 3, 2",
        "9, 9, 5, 2, 3",     // equal lengths: A counts as the shorter
        "3, 9, 6, 3, 3",
        "0, 9, 4, 0, 4",
    })
    void longestFirst(int a, int b, int budget, int keepA, int keepB) {
        assertThat(LongestFirstTruncation.keep(a, b, budget)).containsExactly(keepA, keepB);
    }

    @Test
    void longestFirstInvariants() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            int a = random.nextInt(200);
            int b = random.nextInt(200);
            int budget = random.nextInt(256);
            int[] keep = LongestFirstTruncation.keep(a, b, budget);
            assertThat(keep[0]).isBetween(0, a);
            assertThat(keep[1]).isBetween(0, b);
            assertThat(keep[0] + keep[1]).isEqualTo(Math.min(a + b, budget));
        }
    }

    @Test
    void bertFraming() {
        SpecialTokens bert = new SpecialTokens(SpecialTokensStyle.BERT, 101, 102, 0);
        Encoding single = bert.assemble(new long[] {1, 2, 3}, null, 10);
        assertThat(single.ids()).containsExactly(101, 1, 2, 3, 102);
        assertThat(single.typeIds()).containsOnly(0);
        assertThat(single.attentionMask()).containsOnly(1);

        Encoding pair = bert.assemble(new long[] {1, 2, 3}, new long[] {4, 5}, 10);
        assertThat(pair.ids()).containsExactly(101, 1, 2, 3, 102, 4, 5, 102);
        assertThat(pair.typeIds()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);

        Encoding cut = bert.assemble(new long[] {1, 2, 3, 4, 5, 6}, new long[] {7, 8, 9, 10}, 8);
        assertThat(cut.ids()).containsExactly(101, 1, 2, 3, 102, 7, 8, 102);
        assertThat(bert.assemble(new long[] {1, 2, 3, 4}, null, 4).ids()).containsExactly(101, 1, 2, 102);
    }

    @Test
    void robertaFraming() {
        SpecialTokens roberta = new SpecialTokens(SpecialTokensStyle.ROBERTA, 0, 2, 1);
        Encoding pair = roberta.assemble(new long[] {10, 11}, new long[] {12}, 16);
        assertThat(pair.ids()).containsExactly(0, 10, 11, 2, 2, 12, 2);
        assertThat(pair.typeIds()).containsOnly(0);
        Encoding cut = roberta.assemble(new long[] {10, 11, 12, 13}, new long[] {14, 15, 16}, 8);
        assertThat(cut.length()).isEqualTo(8);
        assertThat(cut.ids()).containsExactly(0, 10, 11, 2, 2, 14, 15, 2);
    }

    @Test
    void gpt2Framing() {
        SpecialTokens gpt2 = new SpecialTokens(SpecialTokensStyle.GPT2, 50256, 50256, 50256);
        assertThat(gpt2.assemble(new long[] {10, 11}, null, 16).ids()).containsExactly(10, 11, 50256);
        Encoding pair = gpt2.assemble(new long[] {10, 11}, new long[] {12}, 16);
        assertThat(pair.ids()).containsExactly(10, 11, 50256, 12, 50256);
        assertThat(pair.typeIds()).containsOnly(0);
        Encoding cut = gpt2.assemble(new long[] {10, 11, 12, 13}, new long[] {14, 15, 16}, 6);
        assertThat(cut.ids()).containsExactly(10, 11, 50256, 14, 15, 50256);
        assertThatThrownBy(() -> gpt2.assemble(new long[] {5}, new long[] {6}, 1))
                .hasMessageContaining("maxLength 1 leaves no room for the 2 special tokens of a pair in GPT2 style");
    }

    @Test
    void maxLengthMustLeaveRoomForSpecialTokens() {
        SpecialTokens roberta = new SpecialTokens(SpecialTokensStyle.ROBERTA, 0, 2, 1);
        assertThatThrownBy(() -> roberta.assemble(new long[] {5}, new long[] {6}, 3))
                .hasMessageContaining("maxLength 3 leaves no room for the 4 special tokens of a pair");
        assertThat(roberta.assemble(new long[] {5}, new long[] {6}, 4).ids()).containsExactly(0, 2, 2, 2);
    }

    @Test
    void encodingIsImmutable() {
        long[] ids = {1, 2};
        Encoding e = new Encoding(ids, new long[2], new long[] {1, 1});
        ids[0] = 99;
        e.ids()[1] = 99;
        assertThat(e.ids()).containsExactly(1, 2);
        assertThat(e).isEqualTo(new Encoding(new long[] {1, 2}, new long[2], new long[] {1, 1}));
        assertThatThrownBy(() -> new Encoding(new long[2], new long[1], new long[2]))
                .hasMessageContaining("equal lengths");
    }
}
