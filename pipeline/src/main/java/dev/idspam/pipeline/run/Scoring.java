package dev.idspam.pipeline.run;

import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.task.Task;
import dev.idspam.eval.metrics.MetricResult;
import dev.idspam.eval.metrics.MetricSuite;
import dev.idspam.eval.metrics.Predictions;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.EvalMetric;
import dev.idspam.runtime.HostTensor;
import dev.idspam.serving.Predictor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns eval outputs (logits per example) into the task's metrics. COPA is scored as a choice
 * between its two rows (the row whose "correct" logit margin is larger wins); MultiRC gets F1a over
 * answers and exact match per question.
 */
public final class Scoring {
    private final Task task;
    private final List<Example> examples;
    private final MetricSuite suite;

    public Scoring(Task task, List<Example> examples) {
        this(task, examples, suiteFor(task));
    }

    /**
     * A task's metrics: eval's catalogue for the built-in tasks (COPA as choice accuracy); a custom
     * task gets accuracy (primary) and macro-F1, or Pearson (primary) and Spearman for regression.
     */
    public static MetricSuite suiteFor(Task task) {
        if (task.equals(Task.COPA)) {
            return MetricSuite.of(List.of("choice_accuracy"));
        }
        if (task.isCustom()) {
            return task.regression() ? MetricSuite.of(List.of("pearson", "spearman"), "pearson")
                    : MetricSuite.of(List.of("accuracy", "f1_macro"), "accuracy");
        }
        return MetricSuite.forTask(task.shortName());
    }

    /** Scores with an explicit suite (transfer runs report the mean of accuracy and macro-F1). */
    public Scoring(Task task, List<Example> examples, MetricSuite suite) {
        this.task = task;
        this.examples = List.copyOf(examples);
        this.suite = suite;
    }

    public MetricSuite suite() {
        return suite;
    }

    /** Logits per example index, gathered from eval outputs. */
    public static final class Collected {
        private final Map<Integer, float[]> logits = new HashMap<>();

        public void add(Batch batch, Map<String, HostTensor> outputs) {
            long[] idx = ((HostTensor.Longs) batch.get(TaskData.EXAMPLE_INDEX)).data();
            HostTensor.Floats l = (HostTensor.Floats) outputs.get(TaskModel.LOGITS);
            int width = (int) (l.size() / idx.length);
            for (int r = 0; r < idx.length; r++) {
                float[] row = new float[width];
                System.arraycopy(l.data(), r * width, row, 0, width);
                logits.put((int) idx[r], row);
            }
        }

        /** The logits of one example, by its index in the split's example list. */
        public void put(int exampleIndex, float[] row) {
            logits.put(exampleIndex, row.clone());
        }

        public Map<Integer, float[]> logits() {
            return logits;
        }
    }

    public MetricResult score(Collected c) {
        int n = c.logits().size();
        if (n != examples.size()) {
            throw new IllegalStateException("scored " + n + " examples, the split has " + examples.size());
        }
        if (task.regression()) {
            float[] pred = new float[n];
            float[] gold = new float[n];
            for (int i = 0; i < n; i++) {
                pred[i] = c.logits().get(i)[0];
                gold[i] = examples.get(i).target();
            }
            return suite.evaluate(Predictions.regression(pred, gold));
        }
        int[] pred = new int[n];
        int[] gold = new int[n];
        float[] scores = new float[n];
        int[] groups = new int[n];
        Map<String, Integer> groupIds = new HashMap<>();
        for (int i = 0; i < n; i++) {
            float[] row = c.logits().get(i);
            pred[i] = argmax(row);
            gold[i] = examples.get(i).label();
            scores[i] = row.length > 1 ? row[1] - row[0] : row[0];
            String g = examples.get(i).group();
            groups[i] = groupIds.computeIfAbsent(g == null ? "#" + i : g, k -> groupIds.size());
        }
        return suite.evaluate(task.grouped() ? Predictions.scored(pred, gold, scores, groups) : Predictions.classes(pred, gold));
    }

    /** The runtime's per-epoch dev metric: this task's primary metric. */
    public EvalMetric primaryAsEvalMetric() {
        return new EvalMetric() {
            @Override
            public String name() {
                return suite.primary();
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }

            @Override
            public Accumulator newAccumulator() {
                Collected c = new Collected();
                return new Accumulator() {
                    @Override
                    public void add(Batch batch, Map<String, HostTensor> outputs) {
                        c.add(batch, outputs);
                    }

                    @Override
                    public double result() {
                        return score(c).primaryValue();
                    }
                };
            }
        };
    }

    static int argmax(float[] row) {
        return Predictor.argmax(row);
    }
}
