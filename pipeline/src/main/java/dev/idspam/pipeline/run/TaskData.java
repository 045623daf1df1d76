package dev.idspam.pipeline.run;

import dev.idspam.datasets.batch.Batcher;
import dev.idspam.datasets.batch.BatchingOptions;
import dev.idspam.datasets.batch.EncodedDataset;
import dev.idspam.datasets.batch.TokenBatch;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.read.ReadResult;
import dev.idspam.datasets.locate.DataLocator;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.BatchSource;
import dev.idspam.runtime.HostTensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One split of a task, read, tokenised once and batched, and adapted to the runtime's batches.
 * Each runtime batch also carries {@value #EXAMPLE_INDEX} (not a graph input) so that scores can be
 * joined back to their examples (COPA and MultiRC group by example).
 */
public final class TaskData {
    public static final String EXAMPLE_INDEX = "example_index";

    private final Task task;
    private final Path file;
    private final ReadResult read;
    private final EncodedDataset encoded;

    private TaskData(Task task, Path file, ReadResult read, EncodedDataset encoded) {
        this.task = task;
        this.file = file;
        this.read = read;
        this.encoded = encoded;
    }

    public static TaskData load(Task task, Split split, DataLocator locator, ReadOptions options, TextTokenizer tokenizer,
                                int maxLength) throws IOException {
        return load(task, split, locator, options, tokenizer, maxLength, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #load(Task, Split, DataLocator, ReadOptions, TextTokenizer, int)}, keeping only the
     * examples {@code select} returns (a subset for evaluation; see {@link ExampleSample}).
     */
    public static TaskData load(Task task, Split split, DataLocator locator, ReadOptions options, TextTokenizer tokenizer,
                                int maxLength, java.util.function.UnaryOperator<List<Example>> select) throws IOException {
        Path file = locator.resolve(task, split);
        ReadResult all = DatasetReader.read(task, split, file, options);
        ReadResult r = new ReadResult(all.source(), select.apply(all.examples()), all.skippedRows(), all.skipReasons(),
                all.blankLines());
        if (r.examples().isEmpty()) {
            String skipped = r.skippedRows() == 0 ? "" : "; all " + r.skippedRows() + " rows were malformed and skipped"
                    + (r.skipReasons().isEmpty() ? "" : ", the first: " + r.skipReasons().get(0));
            throw new IOException(r.source() + ": no examples were read" + skipped);
        }
        return new TaskData(task, file, r, EncodedDataset.encode(r.examples(), tokenizer, maxLength));
    }

    /** A seeded random subset of at most {@code maxSamples} rows (all rows when it is 0 or larger). */
    public TaskData sample(int maxSamples, long seed) {
        if (maxSamples <= 0 || maxSamples >= encoded.size()) {
            return this;
        }
        return new TaskData(task, file, read, encoded.sample(maxSamples, seed));
    }

    /** Malformed rows that were skipped (only with skip-bad-rows; 0 otherwise). */
    public int skippedRows() {
        return read.skippedRows();
    }

    /**
     * What the examples were read from, to tell whether a resumed run still reads the same data:
     * the file as messages show it and the SHA-256 of its bytes; for a folder of files (IMDB), of
     * their relative names and sizes.
     */
    public String fingerprint() throws IOException {
        MessageDigest md = sha256();
        if (Files.isDirectory(file)) {
            try (Stream<Path> s = Files.walk(file)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    md.update((file.relativize(p) + "\t" + Files.size(p) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return read.source() + " (folder digest " + HexFormat.of().formatHex(md.digest()) + ")";
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return read.source() + " (SHA-256 " + HexFormat.of().formatHex(md.digest()) + ")";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Task task() {
        return task;
    }

    public ReadResult read() {
        return read;
    }

    public List<Example> examples() {
        return read.examples();
    }

    public int size() {
        return encoded.size();
    }

    /** Shuffled, length-bucketed batches for training. */
    public BatchSource trainingSource(int batchSize, long seed, boolean tokenTypes) {
        return adapt(new Batcher(encoded, BatchingOptions.training(batchSize, seed)), tokenTypes);
    }

    /** Batches in file order for evaluation. */
    public BatchSource evaluationSource(int batchSize, boolean tokenTypes) {
        return adapt(new Batcher(encoded, BatchingOptions.evaluation(batchSize)), tokenTypes);
    }

    private static BatchSource adapt(Batcher batcher, boolean tokenTypes) {
        return new BatchSource() {
            @Override
            public int batchesPerEpoch() {
                return batcher.batchCount();
            }

            @Override
            public Iterator<Batch> batches(int epoch) {
                return BatchSource.mapping(batcher.batches(epoch).iterator(), b -> toRuntime(b, tokenTypes));
            }
        };
    }

    /** The runtime batch for a token batch: the graph's inputs, labels and the example indices. */
    public static Batch toRuntime(TokenBatch b, boolean tokenTypes) {
        long rows = b.batchSize();
        long len = b.seqLen();
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put(TaskModel.INPUT_IDS, HostTensor.longs(b.inputIds(), rows, len));
        m.put(TaskModel.ATTENTION_MASK, HostTensor.longs(b.attentionMask(), rows, len));
        if (tokenTypes) {
            m.put(TaskModel.TOKEN_TYPE_IDS, HostTensor.longs(b.tokenTypeIds(), rows, len));
        }
        if (b.regression()) {
            m.put(TaskModel.LABELS, HostTensor.floats(b.targets(), rows));
        } else {
            m.put(TaskModel.LABELS, HostTensor.longs(b.labels(), rows));
        }
        int[] idx = b.exampleIndex();
        long[] asLong = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            asLong[i] = idx[i];
        }
        m.put(EXAMPLE_INDEX, HostTensor.longs(asLong, rows));
        return new Batch(m);
    }
}
