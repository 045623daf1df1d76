package dev.idspam.eval.report.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Axis ticks at "nice" steps (1, 2 or 5 times a power of ten) covering a data range.
 *
 * @param values tick positions, ascending; the first is ≤ the range's low end and the last ≥ its
 *               high end
 * @param step   distance between ticks
 */
record Ticks(List<Double> values, double step) {

    /**
     * Ticks for [low, high] with roughly {@code target} intervals. With {@code integers} the step
     * is a whole number ≥ 1 (for layer indices).
     */
    static Ticks of(double low, double high, int target, boolean integers) {
        if (!(high > low)) {
            double pad = low == 0 ? 1 : Math.abs(low) * 0.05;
            low -= pad;
            high += pad;
        }
        double step = niceStep((high - low) / target);
        if (integers) {
            step = Math.max(1, Math.round(step));
        }
        double first = Math.floor(low / step + 1e-9) * step;
        double last = Math.ceil(high / step - 1e-9) * step;
        List<Double> values = new ArrayList<>();
        int count = (int) Math.round((last - first) / step);
        for (int i = 0; i <= count; i++) {
            values.add(first + i * step);
        }
        return new Ticks(values, step);
    }

    /** The smallest of 1, 2, 5 × 10^k that is ≥ {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    double low() {
        return values.get(0);
    }

    double high() {
        return values.get(values.size() - 1);
    }

    /** A tick label with just enough decimals for the step. */
    String label(double value) {
        int decimals = Math.max(0, -(int) Math.floor(Math.log10(step) + 1e-9));
        String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        return text.matches("-0(\\.0+)?") ? text.substring(1) : text;
    }
}
