package dev.idspam.eval.report;

import java.util.SortedMap;

import dev.idspam.eval.store.CellKey;
import dev.idspam.eval.store.Transfer;

/** A cell key without its seed: the runs of one configuration over seeds. */
record ConfigKey(String method, String task, String backbone, Integer layer,
                 SortedMap<String, String> hyperparameters, Transfer transfer) {

    static ConfigKey of(CellKey c) {
        return new ConfigKey(c.method(), c.task(), c.backbone(), c.layer(), c.hyperparameters(),
                c.transfer());
    }

    /** Layer and hyperparameters as text, e.g. {@code "m=11, lr=1e-3"}. */
    String configLabel() {
        return CellKey.configLabel(layer, hyperparameters);
    }
}
