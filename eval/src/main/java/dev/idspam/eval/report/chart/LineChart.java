package dev.idspam.eval.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * A line chart with ±sd error bars, drawn with Java2D into an image (no display needed):
 * title, axes with ticks and labels, light grid, one coloured line with markers per series, and a
 * legend to the right of the plot.
 */
public final class LineChart {

    static {
        // Drawing into a BufferedImage needs no display; make sure AWT never looks for one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Background colour of the whole image. */
    public static final Color BACKGROUND = Color.WHITE;

    /** Tableau 10: distinguishable colours, also in print. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
        new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC),
    };

    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xE6E6E6);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;

    public LineChart(String title, String xLabel, String yLabel, List<Series> series) {
        if (series.isEmpty() || series.stream().allMatch(s -> s.points().isEmpty())) {
            throw new IllegalArgumentException("chart '" + title + "' has no points to draw");
        }
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = List.copyOf(series);
    }

    /** The chart encoded as PNG. */
    public byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(width, height), "png", out)) {
                throw new IllegalStateException("no PNG writer available in this JVM");
            }
        } catch (IOException e) {
            throw new IllegalStateException("encoding PNG in memory failed", e);
        }
        return out.toByteArray();
    }

    /** Draws the chart into a new RGB image. */
    public BufferedImage render(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("chart needs at least 200×150 pixels, got "
                    + width + "×" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g, int width, int height) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font titleFont = base.deriveFont(Font.BOLD, 15f);
        g.setFont(base);
        FontMetrics fm = g.getFontMetrics();

        boolean integerX = series.stream().flatMap(s -> s.points().stream())
                .allMatch(p -> p.x() == Math.rint(p.x()));
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                xMin = Math.min(xMin, p.x());
                xMax = Math.max(xMax, p.x());
                yMin = Math.min(yMin, p.low());
                yMax = Math.max(yMax, p.high());
            }
        }
        // Pad the ranges so that no point or error bar sits on the frame.
        double xPad = integerX ? 0.5 : 0.04 * (xMax - xMin);
        double yPad = 0.06 * (yMax - yMin);
        Ticks xt = Ticks.of(xMin - xPad, xMax + xPad,
                Math.min(12, Math.max(2, (int) Math.round(xMax - xMin))), integerX);
        Ticks yt = Ticks.of(yMin - yPad, yMax + yPad, 6, false);

        int legendWidth = 0;
        for (Series s : series) {
            legendWidth = Math.max(legendWidth, fm.stringWidth(s.name()));
        }
        legendWidth += 44;
        int yLabelWidth = 0;
        for (double v : yt.values()) {
            yLabelWidth = Math.max(yLabelWidth, fm.stringWidth(yt.label(v)));
        }
        int left = 28 + yLabelWidth + fm.getHeight();
        int right = width - legendWidth - 24;
        int top = 48;
        int bottom = height - 30 - 2 * fm.getHeight();
        if (right - left < 60 || bottom - top < 40) {
            throw new IllegalArgumentException("chart " + width + "×" + height
                    + " is too small for its labels and legend");
        }
        Axis x = new Axis(xt.low(), xt.high(), left, right);
        Axis y = new Axis(yt.low(), yt.high(), bottom, top);

        // Grid and ticks.
        g.setStroke(new BasicStroke(1f));
        for (double v : yt.values()) {
            int py = (int) Math.round(y.map(v));
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(AXIS);
            g.drawLine(left - 5, py, left, py);
            String label = yt.label(v);
            g.drawString(label, left - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double v : xt.values()) {
            int px = (int) Math.round(x.map(v));
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(AXIS);
            g.drawLine(px, bottom, px, bottom + 5);
            String label = xt.label(v);
            g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 8 + fm.getAscent());
        }
        g.setColor(AXIS);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);

        // Axis labels and title.
        g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2,
                bottom + 14 + fm.getHeight() + fm.getAscent());
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 10 + fm.getAscent());
        g.setTransform(saved);
        g.setFont(titleFont);
        FontMetrics tfm = g.getFontMetrics();
        g.drawString(title, Math.max(4, (width - tfm.stringWidth(title)) / 2), 16 + tfm.getAscent());
        g.setFont(base);

        // Series: error bars, line, markers; then the legend entry.
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color color = PALETTE[i % PALETTE.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(1.2f));
            for (Series.Point p : s.points()) {
                if (!Double.isNaN(p.sd()) && p.sd() > 0) {
                    double px = x.map(p.x());
                    double lo = y.map(p.low());
                    double hi = y.map(p.high());
                    g.draw(new Line2D.Double(px, lo, px, hi));
                    g.draw(new Line2D.Double(px - 4, lo, px + 4, lo));
                    g.draw(new Line2D.Double(px - 4, hi, px + 4, hi));
                }
            }
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D line = new Path2D.Double();
            for (int k = 0; k < s.points().size(); k++) {
                Series.Point p = s.points().get(k);
                if (k == 0) {
                    line.moveTo(x.map(p.x()), y.map(p.mean()));
                } else {
                    line.lineTo(x.map(p.x()), y.map(p.mean()));
                }
            }
            g.draw(line);
            for (Series.Point p : s.points()) {
                g.fill(marker(i, x.map(p.x()), y.map(p.mean()), 4.5));
            }

            int ly = top + 8 + i * (fm.getHeight() + 6);
            int lx = right + 18;
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new Line2D.Double(lx, ly, lx + 22, ly));
            g.fill(marker(i, lx + 11, ly, 4));
            g.setColor(AXIS);
            g.drawString(s.name(), lx + 28, ly + fm.getAscent() / 2 - 1);
        }
    }

    /** Marker shape by series index: circle, square, triangle, diamond, repeating. */
    private static Shape marker(int index, double cx, double cy, double r) {
        switch (index % 4) {
            case 0:
                return new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case 1:
                return new Rectangle2D.Double(cx - r * 0.9, cy - r * 0.9, 1.8 * r, 1.8 * r);
            case 2: {
                Path2D p = new Path2D.Double();
                p.moveTo(cx, cy - r * 1.2);
                p.lineTo(cx + r * 1.1, cy + r * 0.9);
                p.lineTo(cx - r * 1.1, cy + r * 0.9);
                p.closePath();
                return p;
            }
            default: {
                Path2D p = new Path2D.Double();
                p.moveTo(cx, cy - r * 1.3);
                p.lineTo(cx + r * 1.1, cy);
                p.lineTo(cx, cy + r * 1.3);
                p.lineTo(cx - r * 1.1, cy);
                p.closePath();
                return p;
            }
        }
    }

    /** Linear map from data values [lo, hi] to pixels [from, to]. */
    private record Axis(double lo, double hi, double from, double to) {
        double map(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }
    }
}
