package dev.idspam.serving;

import dev.idspam.datasets.tokenize.Encoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several tasks asked about the same texts, computing what they share once. Adapter bundles cut at
 * their injection layer m ({@link SharedPrefix}) whose prefixes have one digest (same backbone
 * weights, same layer, same boundary), whose tokenizers are the same (file digest, kind,
 * lowercasing, special-token style) and whose max length and pair-ness are equal form one group:
 * for a batch of texts the group tokenises once, runs the prefix (embeddings, layers 0..m-1, the
 * float attention mask and additive attention bias) once, and runs each member's suffix (its
 * prompt generator, layers m.., head) on the prefix's output tensors, which stay in native memory.
 * Each member's predictions equal those of its own {@link Predictor#predictAll}. Predictors
 * without a shared prefix, or alone with theirs, run as they do on their own.
 *
 * <p>Cost for T tasks of one group, L layers, cut at m: one prefix (m layers) plus T suffixes
 * (L - m layers each, on len + prompt tokens) against T whole graphs; so the saving grows with m/L
 * and with T.
 *
 * <p>Thread-safe as the predictors are: a run holds each member's read lock (taken in group order),
 * so closing a member waits for it. The predictors stay the caller's to close.
 */
public final class MultiTaskPredictor {
    private final List<Predictor> predictors;
    /** The groups, in order of their first member; each is a list of indexes into {@link #predictors}. */
    private final List<List<Integer>> groups;

    private MultiTaskPredictor(List<Predictor> predictors, List<List<Integer>> groups) {
        this.predictors = predictors;
        this.groups = groups;
    }

    /** Groups {@code predictors} (in order; a predictor listed twice counts once per listing). */
    public static MultiTaskPredictor of(List<Predictor> predictors) {
        List<Predictor> ps = List.copyOf(predictors);
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            String key = ps.get(i).prefixKey();
            if (key == null) {
                groups.add(List.of(i));
            } else {
                List<Integer> g = byKey.get(key);
                if (g == null) {
                    g = new ArrayList<>();
                    byKey.put(key, g);
                    groups.add(g);
                }
                g.add(i);
            }
        }
        List<List<Integer>> frozen = new ArrayList<>();
        groups.forEach(g -> frozen.add(List.copyOf(g)));
        return new MultiTaskPredictor(ps, List.copyOf(frozen));
    }

    /** The groups as lists of predictors; a group of more than one shares its prefix run. */
    public List<List<Predictor>> groups() {
        List<List<Predictor>> out = new ArrayList<>();
        for (List<Integer> g : groups) {
            out.add(g.stream().map(predictors::get).toList());
        }
        return out;
    }

    /**
     * Predictions of every predictor on the same examples, in the order the predictors were given:
     * {@code result.get(i)} are predictor i's, as its {@link Predictor#predictAll} would give them.
     * {@code textsB} is null for single-text tasks; every predictor must take the texts given.
     */
    public List<List<Predictor.Prediction>> predictAll(List<String> textsA, List<String> textsB) {
        List<List<Predictor.Prediction>> out = new ArrayList<>(predictors.size());
        for (int i = 0; i < predictors.size(); i++) {
            out.add(null);
        }
        for (Predictor p : predictors) {
            p.checkForShared(textsA, textsB);
        }
        if (textsA.isEmpty()) {
            for (int i = 0; i < out.size(); i++) {
                out.set(i, List.of());
            }
            return out;
        }
        for (List<Integer> g : groups) {
            if (g.size() == 1) {
                out.set(g.get(0), predictors.get(g.get(0)).predictAll(textsA, textsB));
                continue;
            }
            List<Predictor> members = g.stream().map(predictors::get).toList();
            List<List<Predictor.Prediction>> r = runGroup(members, textsA, textsB);
            for (int k = 0; k < g.size(); k++) {
                out.set(g.get(k), r.get(k));
            }
        }
        return out;
    }

    private static List<List<Predictor.Prediction>> runGroup(List<Predictor> members, List<String> textsA, List<String> textsB) {
        int locked = 0;
        try {
            for (Predictor p : members) {
                p.lock().readLock().lock();
                locked++;
                p.checkOpenLocked();
            }
            Predictor first = members.get(0);
            // one tokenisation serves all: the group key says the tokenizers and max lengths are equal
            List<Encoding> enc = first.tokenizer().encodeAll(textsA, textsB, first.bundle().manifest().maxLength());
            List<float[][]> logits = Predictor.runShared(members, enc);
            List<List<Predictor.Prediction>> out = new ArrayList<>(members.size());
            for (int k = 0; k < members.size(); k++) {
                List<Predictor.Prediction> ps = new ArrayList<>(enc.size());
                for (float[] row : logits.get(k)) {
                    ps.add(members.get(k).prediction(row));
                }
                out.add(ps);
            }
            return out;
        } finally {
            for (int k = 0; k < locked; k++) {
                members.get(k).lock().readLock().unlock();
            }
        }
    }
}
