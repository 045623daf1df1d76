package dev.idspam.eval.stats;

import java.util.Locale;

/** Text forms of statistics used in reports; always with a '.' decimal point. */
public final class StatFormat {

    private StatFormat() {
    }

    /** {@code "84.8 ± 1.2"}; just {@code "84.8"} when sd is NaN (one seed). */
    public static String meanSd(double mean, double sd, int decimals) {
        String m = fixed(mean, decimals);
        return Double.isNaN(sd) ? m : m + " ± " + fixed(sd, decimals);
    }

    /** The value with a fixed number of decimals, "NaN" or "∞" when not finite. */
    public static String fixed(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        // "-0.0" reads like a sign error in a table; print it as "0.0".
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    /** The value with an explicit sign: {@code "+1.2"}, {@code "-0.3"}, {@code "0.0"}. */
    public static String signed(double value, int decimals) {
        String s = fixed(value, decimals);
        return value > 0 && !s.matches("0\\.?0*") ? "+" + s : s;
    }

    /** A p-value: {@code "0.034"}, {@code "<0.001"}, or {@code "n/a"} when NaN. */
    public static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        if (p < 0.001) {
            return "<0.001";
        }
        return String.format(Locale.ROOT, "%.3f", p);
    }
}
