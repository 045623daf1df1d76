package dev.idspam.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void summaryOfThreeSeeds() {
        Summary s = Summary.of(82, 84, 86);
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isCloseTo(84, within(1e-12));
        assertThat(s.sd()).isCloseTo(2, within(1e-12));
        // t(0.975, df 2) = 4.302653; half-width = t · sd / √3
        assertThat(s.ciHalfWidth()).isCloseTo(4.302653 * 2 / Math.sqrt(3), within(1e-5));
        assertThat(s.ciLow()).isCloseTo(84 - s.ciHalfWidth(), within(1e-12));
        assertThat(s.format(1)).isEqualTo("84.0 ± 2.0");
    }

    @Test
    void intervalNarrowsWithMoreSeedsAtEqualSpread() {
        double wide = Summary.of(1, 3).ciHalfWidth();
        double narrow = Summary.of(1, 3, 1, 3, 1, 3, 1, 3).ciHalfWidth();
        assertThat(narrow).isLessThan(wide / 5);
        double t = new TDistribution(7).inverseCumulativeProbability(0.975);
        assertThat(narrow).isCloseTo(t * Descriptive.sampleSd(new double[] {1, 3, 1, 3, 1, 3, 1, 3}) / Math.sqrt(8),
                within(1e-12));
    }

    @Test
    void singleSeedHasNoSpread() {
        Summary s = Summary.of(91.25);
        assertThat(s.hasSpread()).isFalse();
        assertThat(s.sd()).isNaN();
        assertThat(s.format(1)).isEqualTo("91.3");
        assertThatThrownBy(() -> Summary.of(new double[0])).hasMessageContaining("at least one value");
    }

    @Test
    void formatting() {
        assertThat(StatFormat.meanSd(84.84, 1.23, 1)).isEqualTo("84.8 ± 1.2");
        assertThat(StatFormat.fixed(-0.04, 1)).isEqualTo("0.0");
        assertThat(StatFormat.signed(1.25, 1)).isEqualTo("+1.3");
        assertThat(StatFormat.signed(-0.3, 1)).isEqualTo("-0.3");
        assertThat(StatFormat.signed(0.01, 1)).isEqualTo("0.0");
        assertThat(StatFormat.pValue(0.0342)).isEqualTo("0.034");
        assertThat(StatFormat.pValue(0.0002)).isEqualTo("<0.001");
        assertThat(StatFormat.pValue(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void pairedTTestMatchesCommonsMathOnMatchedSeeds() {
        SplittableRandom rnd = new SplittableRandom(7);
        Map<Long, Double> a = new LinkedHashMap<>();
        Map<Long, Double> b = new LinkedHashMap<>();
        for (long seed = 1; seed <= 6; seed++) {
            double base = 80 + 5 * rnd.nextDouble();
            a.put(seed, base + 1 + rnd.nextDouble());
            b.put(seed + 1, 80 + 5 * rnd.nextDouble()); // seeds 2..7
        }
        PairedComparison c = PairedTests.compare(a, b);
        assertThat(c.seeds()).containsExactly(2L, 3L, 4L, 5L, 6L);
        double[] x = c.seeds().stream().mapToDouble(a::get).toArray();
        double[] y = c.seeds().stream().mapToDouble(b::get).toArray();
        assertThat(c.tTestP()).isCloseTo(new TTest().pairedTTest(x, y), within(1e-12));
        assertThat(c.wilcoxonP()).isPresent();
        assertThat(c.wilcoxonP().getAsDouble())
                .isCloseTo(new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, true), within(1e-12));
        double meanDiff = 0;
        for (int i = 0; i < x.length; i++) {
            meanDiff += (x[i] - y[i]) / x.length;
        }
        assertThat(c.meanDifference()).isCloseTo(meanDiff, within(1e-12));
    }

    @Test
    void pairedTTestByHand() {
        // differences 1, 2, 3: mean 2, sd 1, t = 2√3, df 2 → p = 0.07418
        PairedComparison c = PairedTests.compare(Map.of(1L, 11.0, 2L, 12.0, 3L, 13.0),
                Map.of(1L, 10.0, 2L, 10.0, 3L, 10.0));
        assertThat(c.tTestP()).isCloseTo(0.0741799, within(1e-6));
        assertThat(c.wilcoxonP()).isEmpty();
        assertThat(c.sdDifference()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void degenerateComparisons() {
        Map<Long, Double> a = Map.of(1L, 80.0, 2L, 81.0, 3L, 82.0);
        assertThat(PairedTests.compare(a, a).tTestP()).isEqualTo(1.0);
        Map<Long, Double> shifted = Map.of(1L, 79.0, 2L, 80.0, 3L, 81.0);
        assertThat(PairedTests.compare(a, shifted).tTestP()).isEqualTo(0.0);
        PairedComparison one = PairedTests.compare(a, Map.of(2L, 70.0));
        assertThat(one.n()).isEqualTo(1);
        assertThat(one.meanDifference()).isEqualTo(11.0);
        assertThat(one.tTestP()).isNaN();
        PairedComparison none = PairedTests.compare(a, Map.of(9L, 70.0));
        assertThat(none.n()).isZero();
        assertThat(none.meanDifference()).isNaN();
    }
}
