package dev.idspam.graphs.backbone;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny byte-level BPE {@code tokenizer.json} in the layout of GPT-2's: the 256 byte symbols, ten
 * merges, and {@code <|endoftext|>} as the last id, no padding token, ByteLevel pre-tokenizer,
 * post-processor and decoder. Made by code for the tests (public: the pipeline tests use it too).
 * <p>
 * Byte-level BPE works on bytes shown as printable characters: the bytes that are printable
 * Latin-1 ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves, every other byte b for the character
 * 256 + (its rank among those others), so the space 0x20 is 'Ġ' (U+0120). Ids 0..255 follow that
 * order: printable bytes first, then the others; merges get the next ids.
 */
public final class TinyByteBpe {
    /** The merges, in priority order; "Ġ t" joins a space and a following t. */
    static final List<String> MERGES = List.of("Ġ t", "h e", "Ġt he", "Ġ a", "i n", "e r", "o n", "r e", "a n", "Ġ s");
    public static final String EOS_TOKEN = "<|endoftext|>";
    /** 256 bytes + 10 merges + end of text. */
    public static final int VOCAB_SIZE = 256 + 10 + 1;
    public static final int EOS = VOCAB_SIZE - 1;

    private TinyByteBpe() {
    }

    /** The byte symbols in id order (ids 0..255). */
    static List<String> byteSymbols() {
        List<Integer> printable = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
                printable.add(b);
            }
        }
        List<String> out = new ArrayList<>();
        printable.forEach(b -> out.add(String.valueOf((char) (int) b)));
        int others = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable.contains(b)) {
                out.add(String.valueOf((char) (256 + others++)));
            }
        }
        return out;
    }

    /** Token → id for the whole vocabulary (bytes, merges, end of text). */
    public static Map<String, Integer> vocabulary() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : byteSymbols()) {
            vocab.put(s, vocab.size());
        }
        for (String m : MERGES) {
            vocab.put(m.replace(" ", ""), vocab.size());
        }
        vocab.put(EOS_TOKEN, vocab.size());
        return vocab;
    }

    /** The id of a token, such as "Ġthe" or "c". */
    public static long id(String token) {
        Integer id = vocabulary().get(token);
        if (id == null) {
            throw new IllegalArgumentException("no token '" + token + "' in the tiny vocabulary");
        }
        return id;
    }

    /** Writes the tokenizer.json. */
    public static void write(Path file) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        JsonArray added = new JsonArray();
        JsonObject eos = new JsonObject();
        eos.addProperty("id", EOS);
        eos.addProperty("content", EOS_TOKEN);
        eos.addProperty("single_word", false);
        eos.addProperty("lstrip", false);
        eos.addProperty("rstrip", false);
        eos.addProperty("normalized", true);
        eos.addProperty("special", true);
        added.add(eos);
        root.add("added_tokens", added);
        root.add("normalizer", JsonNull.INSTANCE);
        root.add("pre_tokenizer", byteLevel(false, true));
        root.add("post_processor", byteLevel(true, false));
        root.add("decoder", byteLevel(true, true));
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject vocab = new JsonObject();
        vocabulary().forEach((token, id) -> {
            if (!token.equals(EOS_TOKEN)) {
                vocab.addProperty(token, id);
            }
        });
        vocab.addProperty(EOS_TOKEN, EOS);
        model.add("vocab", vocab);
        JsonArray merges = new JsonArray();
        MERGES.forEach(merges::add);
        model.add("merges", merges);
        root.add("model", model);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root),
                StandardCharsets.UTF_8);
    }

    private static JsonObject byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "ByteLevel");
        o.addProperty("add_prefix_space", addPrefixSpace);
        o.addProperty("trim_offsets", trimOffsets);
        o.addProperty("use_regex", true);
        return o;
    }
}
