package dev.idspam.graphs.build;

/**
 * One dimension of a tensor shape: a known size, a named symbol (such as {@code batch}), or unknown.
 * Two symbolic dimensions with the same name are taken to be equal.
 */
public record Dim(long size, String symbol) {
    private static final Dim UNKNOWN = new Dim(-1, null);

    public Dim {
        if (size < -1) {
            throw new IllegalArgumentException("dimension size must be >= 0 or -1 (unknown), got " + size);
        }
        if (size >= 0 && symbol != null) {
            throw new IllegalArgumentException("a dimension is either a size or a symbol, not both");
        }
    }

    public static Dim of(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("dimension size must be >= 0, got " + size);
        }
        return new Dim(size, null);
    }

    public static Dim sym(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbol must be non-empty");
        }
        return new Dim(-1, symbol);
    }

    public static Dim unknown() {
        return UNKNOWN;
    }

    public boolean isKnown() {
        return size >= 0;
    }

    public boolean isSymbolic() {
        return symbol != null;
    }

    /** True when both dimensions are provably equal (same size or same symbol). */
    public boolean sameAs(Dim other) {
        if (isKnown() && other.isKnown()) {
            return size == other.size;
        }
        return symbol != null && symbol.equals(other.symbol);
    }

    @Override
    public String toString() {
        return isKnown() ? Long.toString(size) : symbol != null ? symbol : "?";
    }
}
