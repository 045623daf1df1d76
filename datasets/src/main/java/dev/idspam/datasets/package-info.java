/**
 * Data for ID-SPAM experiments: which tasks exist, how their official files are laid out and read,
 * how text becomes token ids, and how token ids become padded batches.
 *
 * <p>The module is split by concern, and dependencies point one way:
 * <ul>
 *   <li>{@link dev.idspam.datasets.task} — the task registry: files per split, text columns, label
 *       order. Pure data, depends on nothing else here.</li>
 *   <li>{@link dev.idspam.datasets.read} — readers for GLUE TSV, SuperGLUE JSON lines and the IMDB
 *       folder layout, producing {@link dev.idspam.datasets.read.Example} values.</li>
 *   <li>{@link dev.idspam.datasets.locate} — finds a task's files in its data folders or in the
 *       download cache, downloading public archives when possible.</li>
 *   <li>{@link dev.idspam.datasets.tokenize} — {@link dev.idspam.datasets.tokenize.TextTokenizer}
 *       with a HuggingFace {@code tokenizer.json} implementation and a pure-Java WordPiece one,
 *       sharing one truncation and special-token policy.</li>
 *   <li>{@link dev.idspam.datasets.batch} — pre-tokenized datasets and deterministic batching with
 *       dynamic padding.</li>
 * </ul>
 *
 * <p>Typical use:
 * <pre>{@code
 * DataLocator data = DataLocator.builder().dataDir(Path.of(dataArg)).build();
 * ReadResult train = DatasetReader.read(Task.RTE, Split.TRAIN, data, ReadOptions.strict());
 * try (TextTokenizer tok = HfTokenizer.fromFile(Path.of("tokenizer.json"))) {
 *     EncodedDataset encoded = EncodedDataset.encode(train.examples(), tok, 128);
 *     Batcher batcher = new Batcher(encoded, BatchingOptions.training(32, seed));
 *     for (TokenBatch batch : batcher.batches(epoch)) { ... }
 * }
 * }</pre>
 *
 * <p>Allowed dependencies: no other project module (DJL's tokenizers and Gson only), so that the
 * serving module can use the tokenizers without the training stack.
 */
package dev.idspam.datasets;
