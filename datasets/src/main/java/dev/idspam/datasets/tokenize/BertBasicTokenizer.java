package dev.idspam.datasets.tokenize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's text normalization and word splitting, written to match the HuggingFace
 * {@code BertNormalizer} + {@code BertPreTokenizer} pair character for character:
 * <ol>
 *   <li>drop NUL, U+FFFD and control/format/unassigned/private-use characters (tab, CR and LF
 *       excepted), and turn every whitespace character into a space;</li>
 *   <li>surround CJK ideographs with spaces;</li>
 *   <li>optionally strip accents (NFD, then drop non-spacing marks);</li>
 *   <li>optionally lower-case, code point by code point;</li>
 *   <li>split on whitespace, and make every punctuation character a word of its own.</li>
 * </ol>
 */
final class BertBasicTokenizer {
    private final boolean lowercase;
    private final boolean stripAccents;
    private final boolean handleChineseChars;

    BertBasicTokenizer(boolean lowercase, boolean stripAccents, boolean handleChineseChars) {
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.handleChineseChars = handleChineseChars;
    }

    /** The words of {@code text}, ready for WordPiece. */
    List<String> words(String text) {
        return split(normalize(text));
    }

    String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isCleanWhitespace(cp)) {
                cleaned.append(' ');
            } else if (handleChineseChars && isChinese(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        String s = cleaned.toString();
        if (stripAccents) {
            String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(decomposed.length());
            decomposed.codePoints().forEach(cp -> {
                if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                    kept.appendCodePoint(cp);
                }
            });
            s = kept.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                if (cp == 0x130) {
                    lower.append("i\u0307"); // the one code point whose lower case is two
                } else {
                    lower.appendCodePoint(Character.toLowerCase(cp));
                }
            });
            s = lower.toString();
        }
        return s;
    }

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(word, words);
            } else if (isPunctuation(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** Unicode White_Space (what Rust's {@code char::is_whitespace} tests). */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    private static boolean isCleanWhitespace(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || isWhitespace(cp);
    }

    /** Categories Cc, Cf, Cs, Co, Cn, except tab, LF and CR (which count as whitespace). */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    /** ASCII punctuation and symbols, or any Unicode punctuation category (P*). */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    /**
     * The CJK Unified Ideograph blocks BERT isolates. One bound follows the HuggingFace library
     * rather than Google's original code: U+2B820..U+2B91F (Extension E's start) is not isolated.
     */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
