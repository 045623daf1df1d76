package dev.idspam.graphs.build;

import java.util.ArrayList;
import java.util.List;

/** A tensor shape of known rank; individual dimensions may be symbolic or unknown. */
public record Shape(List<Dim> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(Object... dims) {
        List<Dim> out = new ArrayList<>(dims.length);
        for (Object d : dims) {
            if (d instanceof Dim dim) {
                out.add(dim);
            } else if (d instanceof Number n) {
                out.add(Dim.of(n.longValue()));
            } else if (d instanceof String s) {
                out.add(Dim.sym(s));
            } else {
                throw new IllegalArgumentException("dimension must be a Dim, a number or a symbol name, got " + d);
            }
        }
        return new Shape(out);
    }

    public static Shape scalar() {
        return new Shape(List.of());
    }

    public static Shape ofSizes(long... sizes) {
        List<Dim> out = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            out.add(Dim.of(s));
        }
        return new Shape(out);
    }

    public int rank() {
        return dims.size();
    }

    public Dim dim(int axis) {
        return dims.get(axis < 0 ? axis + dims.size() : axis);
    }

    public boolean isFullyKnown() {
        return dims.stream().allMatch(Dim::isKnown);
    }

    public long[] sizes() {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            if (!dims.get(i).isKnown()) {
                throw new IllegalStateException("shape " + this + " is not fully known");
            }
            out[i] = dims.get(i).size();
        }
        return out;
    }

    public long numElements() {
        long n = 1;
        for (long s : sizes()) {
            n *= s;
        }
        return n;
    }

    /** True when both shapes are provably identical. */
    public boolean sameAs(Shape other) {
        if (other == null || other.rank() != rank()) {
            return false;
        }
        for (int i = 0; i < rank(); i++) {
            if (!dims.get(i).sameAs(other.dims.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}
