package dev.idspam.datasets.tokenize;

/** Where special tokens go around one or two segments, and which segment ids the tokens get. */
public enum SpecialTokensStyle {
    /** {@code [CLS] a [SEP]} and {@code [CLS] a [SEP] b [SEP]}; segment ids 0 up to the first
     * {@code [SEP]}, 1 after it. */
    BERT(2, 3),
    /** {@code <s> a </s>} and {@code <s> a </s></s> b </s>}; all segment ids 0. */
    ROBERTA(2, 4),
    /**
     * GPT-2, which has no start or separator token: {@code a <|endoftext|>} and
     * {@code a <|endoftext|> b <|endoftext|>}; all segment ids 0. The end-of-text token closes each
     * segment, so the last real token, which a decoder's head reads, is always the same token and
     * has seen the whole input under causal attention (the "extract" token of GPT-style
     * classification). GPT-2 has no padding token either: batches pad with end-of-text, masked out.
     */
    GPT2(1, 2);

    private final int single;
    private final int pair;

    SpecialTokensStyle(int single, int pair) {
        this.single = single;
        this.pair = pair;
    }

    /** How many special tokens an encoding of one ({@code pair == false}) or two segments gets. */
    public int addedTokens(boolean pair) {
        return pair ? this.pair : single;
    }
}
