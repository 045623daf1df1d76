package dev.idspam.tools;

import dev.idspam.serving.Predictor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints how many sentences per second one bundle's model gives when the same sentences run one at a
 * time, as concurrent single runs, or in batches of several sizes (padded to the longest of each
 * batch, in arrival order or sorted by length), without HTTP: the ceiling a micro-batcher can reach
 * over running each request on its own.
 *
 * <pre>
 * java -cp CLASSPATH dev.idspam.tools.BatchFigures BUNDLE DEV_TSV [SENTENCES (512)] [ROUNDS (3)]
 * </pre>
 * DEV_TSV: {@code sentence<TAB>label} with a header line (SST-2's dev.tsv). Run from {@code tools/},
 * the classpath is {@code target/test-classes:target/classes:} followed by
 * {@code target/classpath-cpu.txt}'s content (written by {@code ./idspam}). Each setting runs once
 * per round, the settings interleaved, and the best round is printed (a shared machine only ever
 * slows a round down). Every setting uses the same predictor and ONNX Runtime's default threads.
 */
public final class BatchFigures {
    private BatchFigures() {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).subList(1, n + 1)) {
            texts.add(line.split("\t")[0]);
        }
        try (Predictor p = Predictor.open(bundle)) {
            List<Predictor.Encoded> enc = new ArrayList<>();
            for (String t : texts) {
                enc.add(p.encode(t, null));
            }
            List<Predictor.Encoded> sorted = new ArrayList<>(enc);
            sorted.sort(Comparator.comparingInt(Predictor.Encoded::tokens));
            String[] names = {"single, 1 caller", "single, 2 callers", "single, 8 callers",
                    "batch 4 arrival order", "batch 8 arrival order", "batch 32 arrival order",
                    "batch 4 sorted", "batch 8 sorted", "batch 32 sorted"};
            double[] best = new double[names.length];
            batches(p, enc, 1);   // warm-up
            for (int r = 0; r < rounds; r++) {
                best[0] = Math.max(best[0], batches(p, enc, 1));
                best[1] = Math.max(best[1], concurrent(p, enc, 2));
                best[2] = Math.max(best[2], concurrent(p, enc, 8));
                best[3] = Math.max(best[3], batches(p, enc, 4));
                best[4] = Math.max(best[4], batches(p, enc, 8));
                best[5] = Math.max(best[5], batches(p, enc, 32));
                best[6] = Math.max(best[6], batches(p, sorted, 4));
                best[7] = Math.max(best[7], batches(p, sorted, 8));
                best[8] = Math.max(best[8], batches(p, sorted, 32));
            }
            System.out.printf(Locale.ROOT, "%d SST-2 dev sentences, best of %d rounds, %d cores%n", n, rounds,
                    Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < names.length; i++) {
                System.out.printf(Locale.ROOT, "%-24s %8.1f sentences/s  %.2fx single%n", names[i], best[i], best[i] / best[0]);
            }
        }
    }

    /** Sentences per second running {@code enc} in consecutive batches of {@code size} on one thread. */
    private static double batches(Predictor p, List<Predictor.Encoded> enc, int size) {
        long t0 = System.nanoTime();
        for (int i = 0; i < enc.size(); i += size) {
            p.predictEncoded(enc.subList(i, Math.min(enc.size(), i + size)));
        }
        return enc.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Sentences per second with {@code callers} threads each running single sentences on the shared predictor. */
    private static double concurrent(Predictor p, List<Predictor.Encoded> enc, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < enc.size(); i = next.getAndIncrement()) {
                        p.predictEncoded(List.of(enc.get(i)));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return enc.size() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
