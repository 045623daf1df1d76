package dev.idspam.eval.report.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One line of a chart: its legend name and its points, sorted by x.
 */
public record Series(String name, List<Series.Point> points) {

    /**
     * A point with an error bar of ±sd around the mean; sd NaN draws no bar.
     */
    public record Point(double x, double mean, double sd) {
        public Point {
            if (!Double.isFinite(x) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException("chart point needs finite x and mean, got (" + x
                        + ", " + mean + ")");
            }
            if (sd < 0) {
                throw new IllegalArgumentException("sd must be ≥ 0, got " + sd);
            }
        }

        double low() {
            return Double.isNaN(sd) ? mean : mean - sd;
        }

        double high() {
            return Double.isNaN(sd) ? mean : mean + sd;
        }
    }

    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name for the legend");
        }
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::x));
        points = List.copyOf(sorted);
    }
}
