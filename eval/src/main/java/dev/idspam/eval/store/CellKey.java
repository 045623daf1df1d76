package dev.idspam.eval.store;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Identity of one run in an experiment grid: two runs with equal keys are the same work, and the
 * runner skips a key the store already {@link ResultsStore#contains contains}.
 *
 * @param method          method id, e.g. {@code "idspam"}, {@code "lpt"}, {@code "lora"}
 * @param task            task the run is scored on (for transfer runs: the target task)
 * @param backbone        backbone id, e.g. {@code "roberta-base"}
 * @param layer           injection layer m, or null for methods without one (LoRA, fine-tuning)
 * @param seed            random seed of the run
 * @param hyperparameters every other setting that defines the run (learning rate, batch size...),
 *                        as text; kept sorted by name
 * @param transfer        source and target of a transfer run, or null for an in-task run
 */
public record CellKey(String method, String task, String backbone, Integer layer, long seed,
                      SortedMap<String, String> hyperparameters, Transfer transfer) {

    public CellKey {
        requireText(method, "method");
        requireText(task, "task");
        requireText(backbone, "backbone");
        if (layer != null && layer < 0) {
            throw new IllegalArgumentException("layer must be ≥ 0 or absent, got " + layer);
        }
        TreeMap<String, String> copy = new TreeMap<>();
        if (hyperparameters != null) {
            hyperparameters.forEach((k, v) -> {
                requireText(k, "hyperparameter name");
                if (v == null) {
                    throw new IllegalArgumentException("hyperparameter '" + k + "' has no value");
                }
                copy.put(k, v);
            });
        }
        hyperparameters = Collections.unmodifiableSortedMap(copy);
        if (transfer != null && !transfer.target().equals(task)) {
            throw new IllegalArgumentException("transfer target '" + transfer.target()
                    + "' must equal the cell's task '" + task + "' (the task the run is scored on)");
        }
    }

    /** Starts a key; method, task, backbone and seed are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings of the key other than method, task, backbone, seed and transfer: layer and
     * hyperparameters, e.g. {@code "m=11, lr=1e-3"}; empty when there are none.
     */
    public String configLabel() {
        return configLabel(layer, hyperparameters);
    }

    /** {@link #configLabel()} for a layer (may be null) and hyperparameters. */
    public static String configLabel(Integer layer, Map<String, String> hyperparameters) {
        StringBuilder s = new StringBuilder();
        if (layer != null) {
            s.append("m=").append(layer);
        }
        new TreeMap<>(hyperparameters).forEach((k, v) -> {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(k).append('=').append(v);
        });
        return s.toString();
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("cell key needs a " + what + ", got '" + value + "'");
        }
    }

    /** Builder for the many optional parts of a key. */
    public static final class Builder {
        private String method;
        private String task;
        private String backbone;
        private Integer layer;
        private Long seed;
        private final TreeMap<String, String> hyperparameters = new TreeMap<>();
        private String transferSource;
        private int transferShots;

        private Builder() {
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder task(String task) {
            this.task = task;
            return this;
        }

        public Builder backbone(String backbone) {
            this.backbone = backbone;
            return this;
        }

        public Builder layer(Integer layer) {
            this.layer = layer;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder hyperparameter(String name, String value) {
            hyperparameters.put(name, value);
            return this;
        }

        public Builder hyperparameters(Map<String, String> values) {
            hyperparameters.putAll(values);
            return this;
        }

        /** Marks the run as a transfer from {@code source}; the target is the task. */
        public Builder transfer(String source, int shots) {
            this.transferSource = source;
            this.transferShots = shots;
            return this;
        }

        public CellKey build() {
            if (seed == null) {
                throw new IllegalArgumentException("cell key needs a seed");
            }
            Transfer transfer = transferSource == null || task == null
                    ? null
                    : new Transfer(transferSource, task, transferShots);
            return new CellKey(method, task, backbone, layer, seed, hyperparameters, transfer);
        }
    }
}
