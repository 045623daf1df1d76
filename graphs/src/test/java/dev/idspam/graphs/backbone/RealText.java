package dev.idspam.graphs.backbone;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real sentences from the GLUE data carried in the repository, tokenized with a backbone's own tokenizer.json. */
final class RealText {
    private RealText() {
    }

    /** RTE dev rows: index, sentence1, sentence2, label (GLUE TSV: tabs only, no quoting). */
    static List<String[]> rte(int rows) throws IOException {
        Path file = Path.of(System.getProperty("idspam.data", "../data"), "RTE", "dev.tsv"); // missing: the test fails
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(1, Math.min(lines.size(), rows + 1))) {
            out.add(line.split("\t", -1));
        }
        return out;
    }

    /** The backbone's HF tokenizer, without the padding its tokenizer.json may configure, truncating at {@code maxLength}. */
    static HuggingFaceTokenizer tokenizer(BackboneSource src, int maxLength) throws IOException {
        try (InputStream in = src.tokenizer().location().open()) {
            return HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "true",
                    "maxLength", Integer.toString(maxLength)));
        }
    }

    /** Encodes texts (pairs when {@code second} is given) and pads them with id 0 to {@code length} (0: the longest). */
    static EncoderParity.Batch encode(HuggingFaceTokenizer tok, List<String> first, List<String> second, int length) {
        List<Encoding> enc = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            enc.add(second == null ? tok.encode(first.get(i)) : tok.encode(first.get(i), second.get(i)));
        }
        int max = Math.max(length, enc.stream().mapToInt(e -> e.getIds().length).max().orElseThrow());
        long[][] ids = new long[enc.size()][max];
        long[][] types = new long[enc.size()][max];
        long[][] mask = new long[enc.size()][max];
        for (int b = 0; b < enc.size(); b++) {
            Encoding e = enc.get(b);
            System.arraycopy(e.getIds(), 0, ids[b], 0, e.getIds().length);
            System.arraycopy(e.getTypeIds(), 0, types[b], 0, e.getIds().length);
            System.arraycopy(e.getAttentionMask(), 0, mask[b], 0, e.getIds().length);
        }
        return new EncoderParity.Batch(ids, types, mask);
    }
}
