/**
 * Tokenization behind one interface, {@link dev.idspam.datasets.tokenize.TextTokenizer}.
 *
 * <ul>
 *   <li>{@link dev.idspam.datasets.tokenize.HfTokenizer}: any HuggingFace {@code tokenizer.json}
 *       (WordPiece, BPE, Unigram), split by the native HuggingFace library through DJL.</li>
 *   <li>{@link dev.idspam.datasets.tokenize.WordPieceTokenizer}: BERT from a {@code vocab.txt},
 *       in plain Java. With an uncased vocabulary it yields the same ids as the
 *       {@code tokenizer.json} of the same model; the test suite checks this on real GLUE
 *       sentences.</li>
 * </ul>
 *
 * <p>Both produce only the vocabulary ids of each segment; framing and truncation are done once,
 * in {@link dev.idspam.datasets.tokenize.SpecialTokens#assemble}, so that the two behave
 * identically:
 * <ul>
 *   <li>BERT style: {@code [CLS] a [SEP]} / {@code [CLS] a [SEP] b [SEP]}, segment ids 0 then 1
 *       (the second {@code [SEP]} belongs to segment 1);</li>
 *   <li>RoBERTa style: {@code <s> a </s>} / {@code <s> a </s></s> b </s>}, all segment ids 0;</li>
 *   <li>GPT-2 style (byte-level BPE, no start, separator or padding token): {@code a <|endoftext|>} /
 *       {@code a <|endoftext|> b <|endoftext|>}, all segment ids 0, padding with end-of-text;</li>
 *   <li>longest-first truncation from the end of the segments, following the HuggingFace fast
 *       tokenizers ({@link dev.idspam.datasets.tokenize.LongestFirstTruncation}), so that the total,
 *       special tokens included, is at most {@code maxLength}.</li>
 * </ul>
 * Encodings carry no padding: the batcher pads each batch to its longest row.
 */
package dev.idspam.datasets.tokenize;
