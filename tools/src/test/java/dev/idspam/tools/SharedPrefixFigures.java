package dev.idspam.tools;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.TokenizerFiles;

import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A measurement of shared-prefix multi-task serving, before it becomes a feature: cuts a full
 * bundle's graph at injection layer {@code m} into a prefix (embeddings and layers 0..m-1, frozen
 * weights only, so identical for every task on that backbone and layer) and a suffix (the method,
 * layers m.., the head), then compares "4 tasks for one text" as 4 full runs against 1 prefix run
 * plus 4 suffix runs, and checks that prefix + suffix gives the full graph's logits.
 *
 * <pre>
 * java -cp CLASSPATH dev.idspam.tools.SharedPrefixFigures FULL_BUNDLE LAYER DEV_TSV [TEXTS]
 * </pre>
 * The 4 tasks are the same bundle loaded 4 times (same cost as 4 different tasks of that shape).
 */
public final class SharedPrefixFigures {
    private static final Pattern LAYER = Pattern.compile("encoder/layer(\\d+)/.*");
    private static final int TASKS = 4;

    private SharedPrefixFigures() {
    }

    public static void main(String[] args) throws Exception {
        Path bundleDir = Path.of(args[0]);
        int m = Integer.parseInt(args[1]);
        List<String> texts = Files.readAllLines(Path.of(args[2])).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.substring(0, l.indexOf('\t')).strip()).limit(args.length > 3 ? Integer.parseInt(args[3]) : 300).toList();
        Bundle bundle = Bundle.open(bundleDir);
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(bundle.model()));
        Path tmp = Files.createTempDirectory("shared-prefix");
        Path prefix = tmp.resolve("prefix.onnx");
        Path suffix = tmp.resolve("suffix.onnx");
        List<String> boundary = split(model, m, prefix, suffix);
        System.out.printf(Locale.ROOT, "cut at layer %d: prefix %,d bytes, suffix %,d bytes, boundary tensors %s%n", m,
                Files.size(prefix), Files.size(suffix), boundary);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             TextTokenizer tok = TokenizerFiles.open(bundle.manifest().tokenizer(), bundle.manifestFile())) {
            o.setIntraOpNumThreads(1);
            List<OrtSession> full = new ArrayList<>();
            List<OrtSession> suffixes = new ArrayList<>();
            for (int t = 0; t < TASKS; t++) {
                full.add(env.createSession(bundle.model().toString(), o));
                suffixes.add(env.createSession(suffix.toString(), o));
            }
            OrtSession pre = env.createSession(prefix.toString(), o);
            double maxDiff = 0;
            long tSeparate = 0;
            long tShared = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up and is not counted
                for (String text : texts) {
                    Map<String, OnnxTensor> in = inputs(env, tok, text, bundle.manifest().maxLength());
                    long t0 = System.nanoTime();
                    List<float[]> a = new ArrayList<>();
                    for (OrtSession s : full) {
                        try (OrtSession.Result r = s.run(in)) {
                            a.add(((float[][]) r.get(0).getValue())[0]);
                        }
                    }
                    long t1 = System.nanoTime();
                    List<float[]> b = new ArrayList<>();
                    try (OrtSession.Result p = pre.run(only(in, pre.getInputNames()))) {
                        Map<String, OnnxTensor> feed = new HashMap<>();
                        for (Map.Entry<String, OnnxValue> e : p) {
                            feed.put(e.getKey(), (OnnxTensor) e.getValue());
                        }
                        feed.putAll(in);
                        for (OrtSession s : suffixes) {
                            try (OrtSession.Result r = s.run(only(feed, s.getInputNames()))) {
                                b.add(((float[][]) r.get(0).getValue())[0]);
                            }
                        }
                    }
                    long t2 = System.nanoTime();
                    if (round == 1) {
                        tSeparate += t1 - t0;
                        tShared += t2 - t1;
                    }
                    for (int t = 0; t < TASKS; t++) {
                        for (int k = 0; k < a.get(t).length; k++) {
                            maxDiff = Math.max(maxDiff, Math.abs(a.get(t)[k] - b.get(t)[k]));
                        }
                    }
                    in.values().forEach(OnnxTensor::close);
                }
            }
            System.out.printf(Locale.ROOT, "%d texts x %d tasks, one text per call, 1 intra-op thread: separate full graphs"
                    + " %.1f texts/s, shared prefix %.1f texts/s (%.2fx); max |logit difference| %.3g%n", texts.size(), TASKS,
                    texts.size() / (tSeparate / 1e9), texts.size() / (tShared / 1e9), (double) tSeparate / tShared, maxDiff);
            pre.close();
            for (OrtSession s : full) {
                s.close();
            }
            for (OrtSession s : suffixes) {
                s.close();
            }
        }
    }

    private static Map<String, OnnxTensor> only(Map<String, OnnxTensor> feed, Set<String> names) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, feed.get(n)));
        return out;
    }

    private static Map<String, OnnxTensor> inputs(OrtEnvironment env, TextTokenizer tok, String text, int maxLength)
            throws Exception {
        Encoding e = tok.encodeAll(List.of(text), null, maxLength).get(0);
        long[] shape = {1, e.length()};
        Map<String, OnnxTensor> m = new HashMap<>();
        m.put(Bundle.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(e.ids()), shape));
        m.put(Bundle.ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(e.attentionMask()), shape));
        m.put(Bundle.TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(e.typeIds()), shape));
        return m;
    }

    /**
     * Writes the prefix and suffix graphs; returns the boundary tensors (prefix outputs the suffix
     * reads). Prefix: the embedding nodes, the nodes of layers below {@code m}, and everything they
     * depend on. Element types of the boundary are propagated from inputs, initializers and Cast.
     */
    static List<String> split(OnnxMl.ModelProto model, int m, Path prefixOut, Path suffixOut) throws Exception {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String o : g.getNode(i).getOutputList()) {
                producer.put(o, i);
            }
        }
        Set<Integer> inPrefix = new HashSet<>();
        for (int i = g.getNodeCount() - 1; i >= 0; i--) {
            OnnxMl.NodeProto n = g.getNode(i);
            Matcher lm = LAYER.matcher(n.getName());
            if (n.getName().startsWith("encoder/embeddings/") || (lm.matches() && Integer.parseInt(lm.group(1)) < m)) {
                addWithAncestors(g, i, producer, inPrefix);
            }
        }
        Map<String, Integer> types = new HashMap<>();
        g.getInputList().forEach(v -> types.put(v.getName(), v.getType().getTensorType().getElemType()));
        g.getInitializerList().forEach(t -> types.put(t.getName(), t.getDataType()));
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            int type;
            if (n.getOpType().equals("Cast")) {
                type = (int) n.getAttributeList().stream().filter(a -> a.getName().equals("to")).findFirst().orElseThrow().getI();
            } else if (n.getOpType().equals("Shape")) {
                type = OnnxMl.TensorProto.DataType.INT64.getNumber();
            } else if (n.getOpType().equals("Gather")) {
                type = types.getOrDefault(n.getInput(0), 0);
            } else {
                type = n.getInputCount() == 0 ? 0 : types.getOrDefault(n.getInput(0), 0);
            }
            n.getOutputList().forEach(o -> types.put(o, type));
        }
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        Set<String> suffixReads = new LinkedHashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (!inPrefix.contains(i)) {
                suffixReads.addAll(g.getNode(i).getInputList());
            }
        }
        List<String> boundary = new ArrayList<>();
        for (int i : inPrefix.stream().sorted().toList()) {
            for (String o : g.getNode(i).getOutputList()) {
                if (suffixReads.contains(o) || graphOutputs.contains(o)) {
                    boundary.add(o);
                }
            }
        }
        write(model, g, inPrefix, true, boundary, types, prefixOut);
        write(model, g, inPrefix, false, boundary, types, suffixOut);
        return boundary;
    }

    private static void addWithAncestors(OnnxMl.GraphProto g, int i, Map<String, Integer> producer, Set<Integer> set) {
        if (!set.add(i)) {
            return;
        }
        for (String in : g.getNode(i).getInputList()) {
            Integer p = producer.get(in);
            if (p != null) {
                addWithAncestors(g, p, producer, set);
            }
        }
    }

    private static void write(OnnxMl.ModelProto model, OnnxMl.GraphProto g, Set<Integer> inPrefix, boolean prefix,
                              List<String> boundary, Map<String, Integer> types, Path out) throws Exception {
        OnnxMl.GraphProto.Builder b = OnnxMl.GraphProto.newBuilder().setName(g.getName() + (prefix ? "_prefix" : "_suffix"));
        Set<String> reads = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (inPrefix.contains(i) == prefix) {
                b.addNode(g.getNode(i));
                reads.addAll(g.getNode(i).getInputList());
            }
        }
        g.getInitializerList().stream().filter(t -> reads.contains(t.getName())).forEach(b::addInitializer);
        g.getInputList().stream().filter(v -> reads.contains(v.getName())).forEach(b::addInput);
        if (prefix) {
            boundary.forEach(n -> b.addOutput(typed(n, types.get(n))));
        } else {
            boundary.stream().filter(reads::contains).forEach(n -> b.addInput(typed(n, types.get(n))));
            b.addAllOutput(g.getOutputList());
        }
        Files.write(out, model.toBuilder().setGraph(b).build().toByteArray());
    }

    private static OnnxMl.ValueInfoProto typed(String name, int elemType) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType))).build();
    }
}
