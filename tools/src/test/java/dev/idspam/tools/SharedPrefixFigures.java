package dev.idspam.tools;

import dev.idspam.serving.MultiTaskPredictor;
import dev.idspam.serving.Predictor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Figures of shared-prefix multi-task serving: "T tasks for one text" answered by T full bundles
 * (each its own whole graph) against one {@link MultiTaskPredictor} over T adapter bundles that
 * share a prefix (prefix once, T suffixes), on the same texts, one text per call, in one process,
 * the two ways taking turns text by text so that load on the machine hits both alike. Every
 * session gets the same intra-op thread count. Also checks that each task's logits from the shared
 * run are within 1e-5 of the full bundle's with the same label.
 *
 * <pre>
 * java -cp CLASSPATH dev.idspam.tools.SharedPrefixFigures FULL_BUNDLE ADAPTERS_FOLDER DEV_TSV [TEXTS] [THREADS] [prepack]
 * </pre>
 * ADAPTERS_FOLDER: the adapter bundles (every subfolder with a bundle.json; T = their number),
 * exported with {@code idspam export --adapter} from the run of FULL_BUNDLE (same weights, so the
 * check can compare); {@code prepack}: the adapters' sessions prepack their weights
 * ({@link Predictor.Builder#prepackWeights}; full bundles always do); DEV_TSV: {@code sentence<TAB>label} with a header line. The first pass over
 * the texts warms up and is not counted.
 */
public final class SharedPrefixFigures {
    private SharedPrefixFigures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SharedPrefixFigures FULL_BUNDLE ADAPTERS_FOLDER DEV_TSV [TEXTS] [THREADS] [prepack]");
            System.exit(2);
        }
        Path fullDir = Path.of(args[0]);
        List<Path> adapterDirs;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            adapterDirs = s.filter(d -> Files.isRegularFile(d.resolve("bundle.json"))).sorted().toList();
        }
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 872;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        boolean prepack = args.length > 5 && args[5].equals("prepack");
        List<String> texts;
        try (Stream<String> lines = Files.lines(Path.of(args[2]))) {
            texts = lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf('\t')).strip()).limit(limit).toList();
        }
        int tasks = adapterDirs.size();
        List<Predictor> full = new ArrayList<>();
        List<Predictor> adapters = new ArrayList<>();
        try {
            for (int t = 0; t < tasks; t++) {
                full.add(open(fullDir, threads));
                adapters.add(Predictor.builder().model(adapterDirs.get(t)).threads(threads).prepackWeights(prepack).build());
            }
            MultiTaskPredictor shared = MultiTaskPredictor.of(adapters);
            if (shared.groups().size() != 1) {
                throw new IllegalStateException("the adapters form " + shared.groups().size() + " groups, not one: " + adapterDirs);
            }
            double maxDiff = 0;
            int labelMismatches = 0;
            long tSeparate = 0;
            long tShared = 0;
            for (int round = 0; round < 2; round++) { // round 0 warms up
                for (String text : texts) {
                    List<String> one = List.of(text);
                    long t0 = System.nanoTime();
                    List<Predictor.Prediction> a = new ArrayList<>(tasks);
                    for (Predictor p : full) {
                        a.add(p.predictAll(one, null).get(0));
                    }
                    long t1 = System.nanoTime();
                    List<List<Predictor.Prediction>> b = shared.predictAll(one, null);
                    long t2 = System.nanoTime();
                    if (round == 1) {
                        tSeparate += t1 - t0;
                        tShared += t2 - t1;
                    }
                    for (int t = 0; t < tasks; t++) {
                        float[] x = a.get(t).logits();
                        float[] y = b.get(t).get(0).logits();
                        for (int k = 0; k < x.length; k++) {
                            maxDiff = Math.max(maxDiff, Math.abs(x[k] - y[k]));
                        }
                        if (!a.get(t).label().equals(b.get(t).get(0).label())) {
                            labelMismatches++;
                        }
                    }
                }
            }
            double separate = texts.size() / (tSeparate / 1e9);
            double sharedRate = texts.size() / (tShared / 1e9);
            System.out.printf(Locale.ROOT, "%d texts x %d tasks, one text per call, %d intra-op thread(s) per session,"
                    + " adapter weights %s:%n", texts.size(), tasks, threads, prepack ? "prepacked" : "not prepacked (default)");
            System.out.printf(Locale.ROOT, "  %d full bundles        %7.1f texts/s%n", tasks, separate);
            System.out.printf(Locale.ROOT, "  shared prefix (%d sfx) %7.1f texts/s%n", tasks, sharedRate);
            System.out.printf(Locale.ROOT, "  ratio                 %7.2fx%n", sharedRate / separate);
            System.out.printf(Locale.ROOT, "  max |logit difference| %.3g, label mismatches %d of %d%n", maxDiff, labelMismatches,
                    texts.size() * tasks * 2);
            System.exit(maxDiff <= 1e-5 && labelMismatches == 0 ? 0 : 1);
        } finally {
            full.forEach(Predictor::close);
            adapters.forEach(Predictor::close);
        }
    }

    private static Predictor open(Path dir, int threads) throws java.io.IOException {
        return Predictor.builder().model(dir).threads(threads).build(); // a full bundle: ONNX Runtime prepacks its weights
    }
}
