package dev.idspam.datasets.tokenize;

import java.util.Objects;

/**
 * Settings of a {@link WordPieceTokenizer}. The defaults are those of the BERT checkpoints.
 *
 * @param lowercase          lower-case the text (uncased models)
 * @param stripAccents       remove accents after NFD decomposition; uncased BERT does this
 * @param handleChineseChars put spaces around CJK ideographs so each becomes a word
 * @param maxCharsPerWord    longer words become {@code unkToken} (BERT: 100)
 * @param unkToken           token for words that cannot be split into vocabulary pieces
 * @param clsToken           first token of every encoding
 * @param sepToken           token after each segment
 * @param padToken           padding token
 * @param maskToken          masking token; like the other special tokens it is recognised in the
 *                           raw text, when present in the vocabulary
 */
public record WordPieceConfig(boolean lowercase, boolean stripAccents, boolean handleChineseChars,
                              int maxCharsPerWord, String unkToken, String clsToken, String sepToken,
                              String padToken, String maskToken) {

    public WordPieceConfig {
        if (maxCharsPerWord < 1) {
            throw new IllegalArgumentException("maxCharsPerWord must be >= 1, got " + maxCharsPerWord);
        }
        Objects.requireNonNull(unkToken, "unkToken");
        Objects.requireNonNull(clsToken, "clsToken");
        Objects.requireNonNull(sepToken, "sepToken");
        Objects.requireNonNull(padToken, "padToken");
        Objects.requireNonNull(maskToken, "maskToken");
    }

    /** Uncased BERT: lower-case, strip accents, {@code [UNK] [CLS] [SEP] [PAD] [MASK]}. */
    public static WordPieceConfig uncased() {
        return new WordPieceConfig(true, true, true, 100, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]");
    }

    /** Cased BERT: the text keeps its case and accents. */
    public static WordPieceConfig cased() {
        return new WordPieceConfig(false, false, true, 100, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]");
    }
}
