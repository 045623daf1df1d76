package dev.idspam.eval.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the store keeps about one finished run. Timings that were not measured are NaN;
 * {@code bestEpoch}, {@code trainSubset} and {@code device} may be null.
 *
 * @param experiment            id of the experiment (grid) that produced the run
 * @param cell                  identity of the run
 * @param metrics               metric id → value in the metric's natural range (accuracy in [0, 1])
 * @param primaryMetric         the metric reports use for this run; a key of {@code metrics}
 * @param trainableParams       parameters updated by training (method weights + head)
 * @param frozenParams          parameters left untouched (the frozen backbone)
 * @param trainSeconds          wall time of training, all epochs
 * @param trainSamplesPerSecond training throughput (examples per second)
 * @param inferenceMsPerSample  evaluation latency per example, in milliseconds
 * @param bestEpoch             1-based epoch with the best dev metric, the one reported
 * @param secondsToBestEpoch    training wall time until the end of the best epoch
 * @param timestamp             when the run finished
 * @param trainSubset           when training used only part of the training set, a note saying
 *                              which part (e.g. {@code "first 20000 of 392702 examples"}); null
 *                              when the full set was used. Reports footnote such cells.
 * @param device                where training and evaluation ran ({@code "cpu"}, {@code "cuda:0"});
 *                              null in records written before it was kept. Timing tables name it.
 */
public record RunRecord(String experiment, CellKey cell, Map<String, Double> metrics,
                        String primaryMetric, long trainableParams, long frozenParams,
                        double trainSeconds, double trainSamplesPerSecond,
                        double inferenceMsPerSample, Integer bestEpoch, double secondsToBestEpoch,
                        Instant timestamp, String trainSubset, String device) {

    public RunRecord {
        if (experiment == null || experiment.isBlank()) {
            throw new IllegalArgumentException("run record needs an experiment id");
        }
        if (cell == null) {
            throw new IllegalArgumentException("run record needs a cell key");
        }
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("run record for " + cell + " has no metrics");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (primaryMetric == null || !metrics.containsKey(primaryMetric)) {
            throw new IllegalArgumentException("primary metric '" + primaryMetric
                    + "' is not among the run's metrics " + metrics.keySet());
        }
        if (Double.isNaN(metrics.get(primaryMetric))) {
            throw new IllegalArgumentException("primary metric '" + primaryMetric + "' of " + cell
                    + " is NaN; a finished run must have a score");
        }
        if (trainableParams < 0 || frozenParams < 0) {
            throw new IllegalArgumentException("parameter counts must be ≥ 0, got trainable "
                    + trainableParams + ", frozen " + frozenParams);
        }
        if (bestEpoch != null && bestEpoch < 0) {
            throw new IllegalArgumentException("best epoch must be ≥ 0, got " + bestEpoch);
        }
        if (timestamp == null) {
            throw new IllegalArgumentException("run record needs a timestamp");
        }
        if (trainSubset != null && trainSubset.isBlank()) {
            trainSubset = null;
        }
        if (device != null && device.isBlank()) {
            device = null;
        }
    }

    /** The value of the primary metric. */
    public double primaryValue() {
        return metrics.get(primaryMetric);
    }

    /** Training time per example in milliseconds (from the throughput), NaN when unknown. */
    public double trainMsPerSample() {
        return trainSamplesPerSecond > 0 ? 1000.0 / trainSamplesPerSecond : Double.NaN;
    }

    /** Starts a record; experiment, cell, metrics and primary metric are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: the record has many fields that are often unknown. */
    public static final class Builder {
        private String experiment;
        private CellKey cell;
        private final LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
        private String primaryMetric;
        private long trainableParams;
        private long frozenParams;
        private double trainSeconds = Double.NaN;
        private double trainSamplesPerSecond = Double.NaN;
        private double inferenceMsPerSample = Double.NaN;
        private Integer bestEpoch;
        private double secondsToBestEpoch = Double.NaN;
        private Instant timestamp;
        private String trainSubset;
        private String device;

        private Builder() {
        }

        public Builder experiment(String experiment) {
            this.experiment = experiment;
            return this;
        }

        public Builder cell(CellKey cell) {
            this.cell = cell;
            return this;
        }

        /** Adds one metric; the first one added is primary unless {@link #primaryMetric} is set. */
        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder metrics(Map<String, Double> values) {
            metrics.putAll(values);
            return this;
        }

        public Builder primaryMetric(String primaryMetric) {
            this.primaryMetric = primaryMetric;
            return this;
        }

        public Builder params(long trainable, long frozen) {
            this.trainableParams = trainable;
            this.frozenParams = frozen;
            return this;
        }

        public Builder trainSeconds(double seconds) {
            this.trainSeconds = seconds;
            return this;
        }

        public Builder trainSamplesPerSecond(double samplesPerSecond) {
            this.trainSamplesPerSecond = samplesPerSecond;
            return this;
        }

        public Builder inferenceMsPerSample(double ms) {
            this.inferenceMsPerSample = ms;
            return this;
        }

        public Builder bestEpoch(Integer epoch, double secondsToBest) {
            this.bestEpoch = epoch;
            this.secondsToBestEpoch = secondsToBest;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder trainSubset(String note) {
            this.trainSubset = note;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /** Builds the record; the timestamp defaults to now. */
        public RunRecord build() {
            String primary = primaryMetric != null || metrics.isEmpty()
                    ? primaryMetric
                    : metrics.keySet().iterator().next();
            return new RunRecord(experiment, cell, metrics, primary, trainableParams, frozenParams,
                    trainSeconds, trainSamplesPerSecond, inferenceMsPerSample, bestEpoch,
                    secondsToBestEpoch, timestamp == null ? Instant.now() : timestamp, trainSubset, device);
        }
    }
}
