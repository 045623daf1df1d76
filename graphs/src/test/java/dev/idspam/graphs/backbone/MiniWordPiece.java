package dev.idspam.graphs.backbone;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal uncased BERT tokenizer for tests (the datasets module owns the real one): lowercase,
 * strip accents, split on whitespace and punctuation, greedy longest-match WordPiece. Special
 * tokens written as {@code [MASK]} in the text are kept whole.
 */
final class MiniWordPiece {
    private final Map<String, Integer> vocab;

    MiniWordPiece(Map<String, Integer> vocab) {
        this.vocab = vocab;
    }

    /** [CLS] tokens [SEP] as ids. */
    long[] encode(String text) {
        List<Long> ids = new ArrayList<>();
        ids.add(id("[CLS]"));
        for (String word : basic(text)) {
            if (vocab.containsKey(word) && word.startsWith("[")) {
                ids.add(id(word));
                continue;
            }
            ids.addAll(wordPiece(word));
        }
        ids.add(id("[SEP]"));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    long id(String token) {
        Integer i = vocab.get(token);
        if (i == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
        }
        return i;
    }

    private List<String> basic(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split("\\s+")) {
            if (part.equals("[MASK]")) {
                out.add(part);
                continue;
            }
            String s = Normalizer.normalize(part.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
            StringBuilder cur = new StringBuilder();
            for (char ch : s.toCharArray()) {
                if (Character.isLetterOrDigit(ch)) {
                    cur.append(ch);
                } else {
                    if (cur.length() > 0) {
                        out.add(cur.toString());
                        cur.setLength(0);
                    }
                    out.add(String.valueOf(ch));
                }
            }
            if (cur.length() > 0) {
                out.add(cur.toString());
            }
        }
        return out;
    }

    private List<Long> wordPiece(String word) {
        List<Long> out = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                return List.of(id("[UNK]"));
            }
            out.add((long) found);
            start = end;
        }
        return out;
    }
}
