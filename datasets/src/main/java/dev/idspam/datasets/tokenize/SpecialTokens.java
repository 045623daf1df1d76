package dev.idspam.datasets.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * The special tokens of a vocabulary and how they frame segments. {@link #assemble} is the single
 * place where truncation and framing happen, for every {@link TextTokenizer}.
 *
 * @param style the framing: BERT ({@code [CLS] a [SEP] b [SEP]}), RoBERTa
 *              ({@code <s> a </s></s> b </s>}) or GPT-2 ({@code a <|endoftext|> b <|endoftext|>})
 * @param clsId id of the token that starts every encoding ({@code [CLS]} or {@code <s>}); GPT-2 starts
 *              with no special token and records its end-of-text id here too
 * @param sepId id of the token that ends each segment ({@code [SEP]}, {@code </s>} or {@code <|endoftext|>})
 * @param padId id used for padding in batches (GPT-2: end-of-text, hidden by the attention mask)
 */
public record SpecialTokens(SpecialTokensStyle style, long clsId, long sepId, long padId) {

    public SpecialTokens {
        Objects.requireNonNull(style, "style");
        if (clsId < 0 || sepId < 0 || padId < 0) {
            throw new IllegalArgumentException("special token ids must be >= 0, got cls=" + clsId
                    + " sep=" + sepId + " pad=" + padId);
        }
    }

    /**
     * Truncates the segments longest-first (see {@link LongestFirstTruncation}) so that the result,
     * special tokens included, has at most {@code maxLength} tokens, and frames them.
     *
     * @param a         ids of the first segment, without special tokens
     * @param b         ids of the second segment, or null for a single segment
     * @param maxLength the most tokens the encoding may have; at least
     *                  {@code style.addedTokens(b != null)}
     */
    public Encoding assemble(long[] a, long[] b, int maxLength) {
        Objects.requireNonNull(a, "a");
        boolean pair = b != null;
        int added = style.addedTokens(pair);
        if (maxLength < added) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for the " + added
                    + " special tokens of a " + (pair ? "pair" : "single segment") + " in " + style + " style");
        }
        int budget = maxLength - added;
        int keepA;
        int keepB = 0;
        if (pair) {
            int[] keep = LongestFirstTruncation.keep(a.length, b.length, budget);
            keepA = keep[0];
            keepB = keep[1];
        } else {
            keepA = LongestFirstTruncation.keep(a.length, budget);
        }
        int length = keepA + keepB + added;
        long[] ids = new long[length];
        long[] types = new long[length];
        long[] mask = new long[length];
        Arrays.fill(mask, 1L);
        int p = 0;
        if (style != SpecialTokensStyle.GPT2) {
            ids[p++] = clsId;
        }
        System.arraycopy(a, 0, ids, p, keepA);
        p += keepA;
        ids[p++] = sepId;
        if (pair) {
            if (style == SpecialTokensStyle.ROBERTA) {
                ids[p++] = sepId;
            }
            int secondStart = p;
            System.arraycopy(b, 0, ids, p, keepB);
            p += keepB;
            ids[p++] = sepId;
            if (style == SpecialTokensStyle.BERT) {
                Arrays.fill(types, secondStart, p, 1L);
            }
        }
        return new Encoding(ids, types, mask);
    }
}
