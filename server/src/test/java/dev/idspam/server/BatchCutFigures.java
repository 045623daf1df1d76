package dev.idspam.server;

import dev.idspam.serving.Predictor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Prints the model throughput of two ways of splitting a micro-batch into runs, on the same batches,
 * without HTTP: consecutive windows of SST-2 dev sentences (the order they would arrive in), each
 * sorted by token count and then either cut where an example is more than twice as long as the
 * shortest of its run (the former rule) or split by {@link Batcher#cuts}. Also prints runs per window.
 *
 * <pre>
 * java -cp CLASSPATH dev.idspam.server.BatchCutFigures BUNDLE DEV_TSV [WINDOW (32)] [SENTENCES (512)] [ROUNDS (3)]
 * </pre>
 * CLASSPATH: {@code server/target/test-classes}, {@code server/target/classes} and the server's
 * runtime classpath. The two rules run interleaved, once per round; the best round of each is printed.
 */
public final class BatchCutFigures {
    private BatchCutFigures() {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).subList(1, n + 1)) {
            texts.add(line.split("\t")[0]);
        }
        try (Predictor p = Predictor.open(bundle)) {
            List<List<List<Predictor.Encoded>>> twice = new ArrayList<>();
            List<List<List<Predictor.Encoded>>> cost = new ArrayList<>();
            for (int s = 0; s < n; s += window) {
                List<Predictor.Encoded> w = new ArrayList<>();
                for (String t : texts.subList(s, Math.min(n, s + window))) {
                    w.add(p.encode(t, null));
                }
                w.sort(Comparator.comparingInt(Predictor.Encoded::tokens));
                twice.add(twiceRule(w));
                List<List<Predictor.Encoded>> runs = new ArrayList<>();
                int[] tokens = w.stream().mapToInt(Predictor.Encoded::tokens).toArray();
                int start = 0;
                for (int end : Batcher.cuts(tokens, Batcher.RUN_COST_TOKENS)) {
                    runs.add(w.subList(start, end));
                    start = end;
                }
                cost.add(runs);
            }
            time(p, twice, n);   // warm-up
            double bestTwice = 0;
            double bestCost = 0;
            for (int r = 0; r < rounds; r++) {
                bestTwice = Math.max(bestTwice, time(p, twice, n));
                bestCost = Math.max(bestCost, time(p, cost, n));
            }
            System.out.printf(Locale.ROOT, "%d SST-2 dev sentences in windows of %d, best of %d rounds%n", n, window, rounds);
            System.out.printf(Locale.ROOT, "cut at twice the shortest  %6.1f sentences/s  %.2f runs per window%n",
                    bestTwice, runs(twice));
            System.out.printf(Locale.ROOT, "least estimated cost       %6.1f sentences/s  %.2f runs per window%n",
                    bestCost, runs(cost));
            System.out.printf(Locale.ROOT, "ratio                      %6.2fx%n", bestCost / bestTwice);
        }
    }

    private static List<List<Predictor.Encoded>> twiceRule(List<Predictor.Encoded> sorted) {
        List<List<Predictor.Encoded>> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || sorted.get(i).tokens() > 2 * sorted.get(start).tokens()) {
                runs.add(sorted.subList(start, i));
                start = i;
            }
        }
        return runs;
    }

    private static double runs(List<List<List<Predictor.Encoded>>> windows) {
        return windows.stream().mapToInt(List::size).average().orElse(0);
    }

    private static double time(Predictor p, List<List<List<Predictor.Encoded>>> windows, int n) {
        long t0 = System.nanoTime();
        for (List<List<Predictor.Encoded>> w : windows) {
            for (List<Predictor.Encoded> run : w) {
                p.predictEncoded(run);
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
