package dev.idspam.eval.metrics;

/**
 * What a model produced on an evaluation set, paired with the gold answers. Arrays are copied on
 * the way in and out, so a {@code Predictions} never changes after it is built.
 */
public sealed interface Predictions permits Predictions.Classes, Predictions.Regression {

    /** Number of rows (examples, or answer options for grouped tasks). */
    int size();

    /** Class predictions without scores or groups. */
    static Classes classes(int[] predicted, int[] gold) {
        return new Classes(predicted, gold, null, null);
    }

    /** Class predictions with group ids, as MultiRC exact match needs. */
    static Classes grouped(int[] predicted, int[] gold, int[] groups) {
        return new Classes(predicted, gold, null, groups);
    }

    /** Class predictions with a score per row and group ids, as COPA-style choice needs. */
    static Classes scored(int[] predicted, int[] gold, float[] scores, int[] groups) {
        return new Classes(predicted, gold, scores, groups);
    }

    /** Regression outputs (STS-B). */
    static Regression regression(float[] predicted, float[] gold) {
        return new Regression(predicted, gold);
    }

    /**
     * Class labels; {@code scores} (one per row, larger means more likely correct) and
     * {@code groups} (question or example id per row) are optional and may be null.
     */
    record Classes(int[] predicted, int[] gold, float[] scores, int[] groups) implements Predictions {
        public Classes {
            if (predicted == null || gold == null) {
                throw new IllegalArgumentException("predicted and gold labels are required");
            }
            if (predicted.length != gold.length) {
                throw new IllegalArgumentException("predicted has " + predicted.length
                        + " labels but gold has " + gold.length);
            }
            if (scores != null && scores.length != gold.length) {
                throw new IllegalArgumentException("scores has " + scores.length
                        + " values but there are " + gold.length + " rows");
            }
            if (groups != null && groups.length != gold.length) {
                throw new IllegalArgumentException("groups has " + groups.length
                        + " ids but there are " + gold.length + " rows");
            }
            predicted = predicted.clone();
            gold = gold.clone();
            scores = scores == null ? null : scores.clone();
            groups = groups == null ? null : groups.clone();
        }

        @Override
        public int[] predicted() {
            return predicted.clone();
        }

        @Override
        public int[] gold() {
            return gold.clone();
        }

        @Override
        public float[] scores() {
            return scores == null ? null : scores.clone();
        }

        @Override
        public int[] groups() {
            return groups == null ? null : groups.clone();
        }

        @Override
        public int size() {
            return gold.length;
        }
    }

    /** Regression outputs and gold values. */
    record Regression(float[] predicted, float[] gold) implements Predictions {
        public Regression {
            if (predicted == null || gold == null) {
                throw new IllegalArgumentException("predicted and gold values are required");
            }
            if (predicted.length != gold.length) {
                throw new IllegalArgumentException("predicted has " + predicted.length
                        + " values but gold has " + gold.length);
            }
            predicted = predicted.clone();
            gold = gold.clone();
        }

        @Override
        public float[] predicted() {
            return predicted.clone();
        }

        @Override
        public float[] gold() {
            return gold.clone();
        }

        @Override
        public int size() {
            return gold.length;
        }
    }
}
