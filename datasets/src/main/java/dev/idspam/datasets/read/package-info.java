/**
 * Readers for the official GLUE, SuperGLUE and IMDB files, producing
 * {@link dev.idspam.datasets.read.Example} values through
 * {@link dev.idspam.datasets.read.DatasetReader}.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>GLUE TSV</b>: split on tabs only, never on quotes; columns found by header name (MRPC's
 *       byte order mark is ignored); CoLA has no header. Lines end at {@code \n}; a trailing
 *       {@code \r} is dropped.</li>
 *   <li><b>SuperGLUE JSON lines</b>: one strict JSON object per line, parsed with Gson. Labels may
 *       be strings (CB), booleans (BoolQ, WiC: label set {@code ["false", "true"]}) or integers
 *       (COPA, MultiRC).</li>
 *   <li><b>IMDB</b>: {@code aclImdb/<split>/neg/*.txt} (label 0) then {@code pos/*.txt}
 *       (label 1), in file-name order; {@code <br />} becomes a space.</li>
 * </ul>
 *
 * <h2>How multi-field tasks become text pairs</h2>
 * <ul>
 *   <li><b>BoolQ</b>: text A = question, text B = passage.</li>
 *   <li><b>WiC</b>: text A = {@code word + ": " + sentence1}, text B = sentence2, so the encoder
 *       sees which word is meant.</li>
 *   <li><b>COPA</b> is turned into binary classification of single (context, choice) pairs. Each
 *       question yields two examples, one per choice: text A = {@code premise + " " + connective},
 *       where the connective is {@code "because"} when the question asks for the cause and
 *       {@code "so"} when it asks for the effect; text B = the choice. The example of the correct
 *       choice has label 1, the other label 0, and both carry the question's {@code idx} as
 *       {@link dev.idspam.datasets.read.Example#group() group} (ids {@code <idx>-choice1},
 *       {@code <idx>-choice2}). At evaluation the model scores each example for class 1, and the
 *       predicted answer of a question is the choice with the higher score:
 *       {@link dev.idspam.datasets.read.ExampleGroups#choiceAccuracy} computes the accuracy
 *       reported for COPA.</li>
 *   <li><b>MultiRC</b>: one example per (paragraph, question, answer option): text A = the
 *       paragraph, text B = {@code question + " " + answer}, label 0/1 as given for the answer,
 *       group = {@code <passage idx>-q<question idx>} so that exact match can be computed per
 *       question.</li>
 * </ul>
 *
 * <h2>Bad rows</h2>
 * A row that does not fit the format — wrong column count, label not in the task's label set,
 * non-numeric score, missing or mistyped JSON field, an empty or whitespace-only text (a MultiRC
 * answer may be empty: its segment also holds the question), invalid JSON or UTF-8 — raises
 * {@link dev.idspam.datasets.read.DatasetFormatException} naming file, 1-based line and field.
 * With {@code ReadOptions.skipBadRows(true)} such rows are skipped instead, and the
 * {@link dev.idspam.datasets.read.ReadResult} reports how many and why (the first few messages).
 * A malformed header is always fatal. Lines that are empty or whitespace only hold no data; they
 * are not rows, and {@code ReadResult.blankLines()} counts them.
 */
package dev.idspam.datasets.read;
