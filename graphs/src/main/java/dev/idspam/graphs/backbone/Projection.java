package dev.idspam.graphs.backbone;

/** The dense projections of one encoder layer, as seen by a {@link ProjectionHook}. */
public enum Projection {
    Q("q"), K("k"), V("v"), OUT("out"), FFN_IN("ffn_in"), FFN_OUT("ffn_out");

    private final String shortName;

    Projection(String shortName) {
        this.shortName = shortName;
    }

    /** "q", "k", "v", "out", "ffn_in" or "ffn_out". */
    public String shortName() {
        return shortName;
    }
}
