package dev.idspam.eval.report.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class LineChartTest {

    @Test
    void niceTicks() {
        assertThat(Ticks.niceStep(0.13)).isEqualTo(0.2);
        assertThat(Ticks.niceStep(3.0)).isEqualTo(5.0);
        assertThat(Ticks.niceStep(7.0)).isEqualTo(10.0);
        Ticks t = Ticks.of(67.3, 81.9, 6, false);
        assertThat(t.step()).isEqualTo(5.0);
        assertThat(t.values()).containsExactly(65.0, 70.0, 75.0, 80.0, 85.0);
        assertThat(t.label(70.0)).isEqualTo("70");
        Ticks fine = Ticks.of(0.31, 0.52, 5, false);
        assertThat(fine.label(fine.values().get(1))).isEqualTo("0.35");
        Ticks layers = Ticks.of(-0.5, 23.5, 12, true);
        assertThat(layers.step()).isEqualTo(2.0);
        assertThat(layers.low()).isLessThanOrEqualTo(-0.5);
        assertThat(layers.high()).isGreaterThanOrEqualTo(23.5);
        Ticks flat = Ticks.of(5, 5, 4, false);
        assertThat(flat.low()).isLessThan(5);
        assertThat(flat.high()).isGreaterThan(5);
    }

    @Test
    void manySeriesWithAndWithoutSpreadRenderToPng() throws Exception {
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            List<Series.Point> points = new ArrayList<>();
            for (int m = 0; m < 24; m++) {
                double sd = s % 2 == 0 ? 0.5 + 0.1 * s : Double.NaN;
                points.add(new Series.Point(m, 70 + s + Math.sin(m / 3.0) * 4, sd));
            }
            series.add(new Series("method " + s, points));
        }
        byte[] png = new LineChart("Sweep", "layer", "score", series).png(640, 400);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(400);
        assertThat(image.getRGB(2, 2)).isEqualTo(LineChart.BACKGROUND.getRGB());
    }

    @Test
    void singlePointStillDraws() {
        BufferedImage image = new LineChart("One", "x", "y",
                List.of(new Series("only", List.of(new Series.Point(3, 50, Double.NaN))))).render(300, 200);
        int drawn = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                drawn += image.getRGB(x, y) != LineChart.BACKGROUND.getRGB() ? 1 : 0;
            }
        }
        assertThat(drawn).isGreaterThan(100);
    }

    @Test
    void rejectsNothingToDrawAndTinyImages() {
        assertThatThrownBy(() -> new LineChart("Empty", "x", "y", List.of(new Series("a", List.of()))))
                .hasMessageContaining("no points");
        LineChart c = new LineChart("T", "x", "y", List.of(new Series("a", List.of(new Series.Point(1, 2, 0)))));
        assertThatThrownBy(() -> c.render(100, 100)).hasMessageContaining("at least 200×150");
        assertThatThrownBy(() -> new Series.Point(1, Double.NaN, 0)).hasMessageContaining("finite");
    }
}
