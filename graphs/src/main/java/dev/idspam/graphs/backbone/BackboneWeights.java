package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a pretrained backbone under canonical names ({@link TensorNames}), checked
 * against its config: every encoder tensor present, float32, with the expected shape; the pooler
 * and the masked-LM head are optional but, when present, complete. The map keeps the canonical
 * order (embeddings, layers, pooler, head) whatever order the importer used.
 *
 * @param origin where the weights came from, for messages (a file, a jar entry)
 */
public record BackboneWeights(BackboneConfig config, Map<String, TensorData> tensors, String origin) {

    public BackboneWeights {
        if (config == null) {
            throw new IllegalArgumentException("backbone weights: config is missing");
        }
        origin = origin == null ? "(unknown origin)" : origin;
        tensors = validated(config, tensors, origin);
    }

    private static Map<String, TensorData> validated(BackboneConfig c, Map<String, TensorData> in, String origin) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        take(TensorNames.encoderShapes(c), in, out, problems, true, origin);
        boolean pooler = TensorNames.poolerShapes(c).keySet().stream().anyMatch(in::containsKey);
        take(TensorNames.poolerShapes(c), in, out, problems, pooler, origin);
        boolean mlm = TensorNames.mlmShapes(c).keySet().stream().anyMatch(in::containsKey);
        take(TensorNames.mlmShapes(c), in, out, problems, mlm, origin);
        if (in.containsKey(TensorNames.MLM_DECODER_W)) {
            if (!mlm) {
                problems.add("tensor '" + TensorNames.MLM_DECODER_W + "' is present but the rest of the masked-LM head is not");
            }
            take(Map.of(TensorNames.MLM_DECODER_W, TensorNames.mlmDecoderShape(c)), in, out, problems, true, origin);
        }
        Set<String> known = new HashSet<>(TensorNames.encoderShapes(c).keySet());
        known.addAll(TensorNames.poolerShapes(c).keySet());
        known.addAll(TensorNames.mlmShapes(c).keySet());
        known.add(TensorNames.MLM_DECODER_W);
        for (String name : in.keySet()) {
            if (!known.contains(name)) {
                problems.add("tensor '" + name + "' is not a canonical backbone tensor name for this config (see TensorNames)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("backbone weights from " + origin + " do not match their config "
                    + describe(c) + ":\n  " + String.join("\n  ", problems.subList(0, Math.min(20, problems.size())))
                    + (problems.size() > 20 ? "\n  ... and " + (problems.size() - 20) + " more" : ""));
        }
        return Collections.unmodifiableMap(out);
    }

    private static void take(Map<String, long[]> expected, Map<String, TensorData> in, Map<String, TensorData> out,
                             List<String> problems, boolean required, String origin) {
        if (!required) {
            return;
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorData t = in.get(e.getKey());
            if (t == null) {
                problems.add("tensor '" + e.getKey() + "' is missing, expected shape " + Arrays.toString(e.getValue()));
            } else if (t.type() != DType.FLOAT) {
                problems.add("tensor '" + e.getKey() + "' is " + t.type() + ", expected FLOAT");
            } else if (!Arrays.equals(t.dims(), e.getValue())) {
                problems.add("tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.dims()) + ", expected "
                        + Arrays.toString(e.getValue()));
            } else {
                out.put(e.getKey(), t);
            }
        }
    }

    static String describe(BackboneConfig c) {
        return c.family() + " N=" + c.layers() + " n=" + c.hidden() + " H=" + c.heads() + " F=" + c.intermediate()
                + " V=" + c.vocabSize() + " P=" + c.maxPositions() + " T=" + c.typeVocabSize();
    }

    /** The tensor under a canonical name; fails naming the missing tensor and the origin. */
    public TensorData get(String name) {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("backbone weights from " + origin + " have no tensor '" + name + "'"
                    + (name.startsWith("mlm.") ? " (the checkpoint has no masked-LM head)"
                    : name.startsWith("pooler.") ? " (the checkpoint has no pooler)" : ""));
        }
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public boolean hasPooler() {
        return tensors.containsKey(TensorNames.POOLER_W);
    }

    public boolean hasMlmHead() {
        return tensors.containsKey(TensorNames.MLM_DENSE_W);
    }

    /** The names the encoder graph reads, in canonical order. */
    public Set<String> encoderNames() {
        return TensorNames.encoderShapes(config).keySet();
    }

    /** Total number of float elements held (all tensors, pooler and head included). */
    public long elementCount() {
        return tensors.values().stream().mapToLong(TensorData::numElements).sum();
    }
}
