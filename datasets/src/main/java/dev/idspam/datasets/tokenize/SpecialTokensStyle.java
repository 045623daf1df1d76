package dev.idspam.datasets.tokenize;

/** Where special tokens go around one or two segments, and which segment ids the tokens get. */
public enum SpecialTokensStyle {
    /** {@code [CLS] a [SEP]} and {@code [CLS] a [SEP] b [SEP]}; segment ids 0 up to the first
     * {@code [SEP]}, 1 after it. */
    BERT(2, 3),
    /** {@code <s> a </s>} and {@code <s> a </s></s> b </s>}; all segment ids 0. */
    ROBERTA(2, 4);

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
