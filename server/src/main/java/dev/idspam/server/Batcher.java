package dev.idspam.server;

import dev.idspam.serving.Predictor;
import dev.idspam.serving.Predictor.Prediction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Micro-batching for one predictor: request threads enqueue their tokenised examples, and one
 * thread runs them in batches. A batch starts with the oldest waiting example and takes whatever
 * else arrives within {@code maxWaitMs} of it, up to {@code maxBatch} examples. The batch is then
 * sorted by token count and split into runs of neighbouring lengths by {@link #cuts}, which weighs
 * the padding a longer example forces on shorter ones against the fixed cost of one more run.
 *
 * <p>Admission: at most {@code maxQueue} examples wait or run at once; a request that would pass
 * that gets 429 at once, so a burst is refused instead of growing the queue and every latency.
 * A request whose caller stopped waiting (timeout) is skipped when its turn comes.
 *
 * <p>Shutdown ({@link #close}): no new requests are taken; those already queued run to the end,
 * then the thread exits. The predictor stays the caller's to close, after this returns.
 */
final class Batcher implements AutoCloseable {
    /** One request: its examples, and where its predictions go. */
    static final class Job {
        final List<Predictor.Encoded> examples;
        final Prediction[] results;
        final AtomicInteger remaining;
        final CompletableFuture<List<Prediction>> future = new CompletableFuture<>();

        Job(List<Predictor.Encoded> examples) {
            this.examples = examples;
            this.results = new Prediction[examples.size()];
            this.remaining = new AtomicInteger(examples.size());
        }
    }

    private record Item(Job job, int index) {
        int tokens() {
            return job.examples.get(index).tokens();
        }
    }

    private final Predictor predictor;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int maxQueue;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    /** Examples queued or running; admission and the queue-depth gauge read it. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;

    Batcher(String name, Predictor predictor, int maxBatch, int maxWaitMs, int maxQueue, IntConsumer batchSizes) {
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.maxQueue = maxQueue;
        this.batchSizes = batchSizes;
        this.thread = new Thread(this::loop, "batcher-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Examples waiting or running. */
    int pending() {
        return pending.get();
    }

    /**
     * Queues a request's examples.
     *
     * @return null when this batcher is closing (the caller retries on the model's current batcher)
     * @throws ApiError 429 when the queue has no room for them
     */
    synchronized Job submit(List<Predictor.Encoded> examples) {
        if (closing) {
            return null;
        }
        int n = examples.size();
        int now = pending.addAndGet(n);
        if (now > maxQueue) {
            pending.addAndGet(-n);
            throw new ApiError(429, "the queue of this model is full (" + maxQueue + " examples waiting); retry later");
        }
        Job job = new Job(examples);
        if (n == 0) {
            pending.addAndGet(-n);
            job.future.complete(List.of());
            return job;
        }
        for (int i = 0; i < n; i++) {
            queue.add(new Item(job, i));
        }
        return job;
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(maxBatch);
        while (true) {
            Item first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = null;
            }
            if (first == null) {
                synchronized (this) {   // no submit can slip in between this check and the exit
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            long deadline = System.nanoTime() + maxWaitNanos;
            while (batch.size() < maxBatch) {
                queue.drainTo(batch, maxBatch - batch.size());
                long left = deadline - System.nanoTime();
                if (batch.size() >= maxBatch || left <= 0) {
                    break;
                }
                try {
                    Item next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            runGrouped(batch);
        }
    }

    private void runGrouped(List<Item> batch) {
        List<Item> live = new ArrayList<>(batch.size());
        for (Item it : batch) {
            if (it.job.future.isDone()) {
                pending.decrementAndGet();   // its caller gave up (timeout) or another example of it failed
            } else {
                live.add(it);
            }
        }
        live.sort(Comparator.comparingInt(Item::tokens));
        int[] tokens = new int[live.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = live.get(i).tokens();
        }
        int start = 0;
        for (int end : cuts(tokens, RUN_COST_TOKENS)) {
            run(live.subList(start, end));
            start = end;
        }
    }

    /**
     * The fixed cost of one model run (session call, per-operator dispatch and thread wake-ups),
     * in padded tokens: what one more run costs compared with padding this many more tokens into
     * a run that happens anyway. Measured on the MiniLM demo bundle with {@code BatchFigures}
     * (tools' test sources): one sentence at a time 86.8 sentences/s, sorted batches of 32 151.8/s,
     * so a run adds 1/86.8 − 1/151.8 ≈ 4.9 ms, about 20 tokens at 6.6 ms per sentence of ~27 tokens.
     */
    static final int RUN_COST_TOKENS = 20;

    /**
     * Splits examples sorted by token count into runs of neighbours, at the least estimated cost.
     * A run of rows {@code i..j-1} pads to its longest, {@code tokens[j-1]}, and costs
     * {@code runCost + (j - i) × tokens[j-1]} token units: the per-token work (the linear layers,
     * 12·h² multiply-adds per token and layer) dominates attention's 4·L·h at these lengths (L ≤ 128,
     * h = 384: under 10 %), so cost is linear in padded tokens. Dynamic programming over the sorted
     * order: {@code best[j] = min over i < j of best[i] + runCost + (j - i) × tokens[j-1]}, O(n²)
     * for n ≤ the batch limit. Contiguous runs of the sorted order suffice: swapping two examples
     * between runs so that the shorter goes to the run with the shorter maximum never raises the cost.
     *
     * @param tokens  token counts, ascending
     * @return the exclusive end of each run, ascending; the last is {@code tokens.length} (empty for no examples)
     */
    static int[] cuts(int[] tokens, int runCost) {
        int n = tokens.length;
        long[] best = new long[n + 1];
        int[] from = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            best[j] = Long.MAX_VALUE;
            for (int i = 0; i < j; i++) {
                long c = best[i] + runCost + (long) (j - i) * tokens[j - 1];
                if (c < best[j]) {
                    best[j] = c;
                    from[j] = i;
                }
            }
        }
        int count = 0;
        for (int j = n; j > 0; j = from[j]) {
            count++;
        }
        int[] ends = new int[count];
        for (int j = n, k = count - 1; j > 0; j = from[j], k--) {
            ends[k] = j;
        }
        return ends;
    }

    private void run(List<Item> group) {
        List<Predictor.Encoded> enc = new ArrayList<>(group.size());
        for (Item it : group) {
            enc.add(it.job.examples.get(it.index));
        }
        batchSizes.accept(group.size());
        try {
            List<Prediction> out = predictor.predictEncoded(enc);
            for (int k = 0; k < group.size(); k++) {
                Item it = group.get(k);
                it.job.results[it.index] = out.get(k);
                if (it.job.remaining.decrementAndGet() == 0) {
                    it.job.future.complete(List.of(it.job.results));
                }
            }
        } catch (RuntimeException e) {
            for (Item it : group) {
                it.job.future.completeExceptionally(e);
            }
        } finally {
            pending.addAndGet(-group.size());
        }
    }

    /** Takes no new requests, runs the queued ones, and waits for the thread to end. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
