package dev.idspam.datasets.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link HfTokenizer} needs from a HuggingFace {@code tokenizer.json} beyond what the native
 * library exposes: the vocabulary (model vocabulary plus added tokens) and the special tokens with
 * their framing style, read from the {@code post_processor}.
 */
final class TokenizerJson {
    final String[] idToToken;
    final Map<String, Long> tokenToId;
    final SpecialTokens specialTokens;

    private TokenizerJson(String[] idToToken, Map<String, Long> tokenToId, SpecialTokens specialTokens) {
        this.idToToken = idToToken;
        this.tokenToId = tokenToId;
        this.specialTokens = specialTokens;
    }

    /**
     * @param style the framing to use, or null to derive it from the post-processor (or, if there
     *              is none, from which of {@code [CLS]/[SEP]} and {@code <s>/</s>} the vocabulary has)
     */
    static TokenizerJson parse(String json, String source, SpecialTokensStyle style) {
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        Map<String, Long> tokenToId = new HashMap<>();
        JsonObject model = object(root, "model", source);
        JsonElement vocab = model.get("vocab");
        if (vocab == null) {
            throw new IllegalArgumentException(source + ": model has no vocab");
        }
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                tokenToId.put(e.getKey(), e.getValue().getAsLong());
            }
        } else {
            JsonArray pieces = vocab.getAsJsonArray(); // Unigram: [[piece, score], ...]
            for (int i = 0; i < pieces.size(); i++) {
                tokenToId.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), (long) i);
            }
        }
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) {
                JsonObject o = t.getAsJsonObject();
                tokenToId.put(o.get("content").getAsString(), o.get("id").getAsLong());
            }
        }
        long maxId = -1;
        for (long id : tokenToId.values()) {
            maxId = Math.max(maxId, id);
        }
        String[] idToToken = new String[Math.toIntExact(maxId + 1)];
        for (Map.Entry<String, Long> e : tokenToId.entrySet()) {
            idToToken[e.getValue().intValue()] = e.getKey();
        }
        SpecialTokens special = specialTokens(root, tokenToId, source, style);
        return new TokenizerJson(idToToken, tokenToId, special);
    }

    private static SpecialTokens specialTokens(JsonObject root, Map<String, Long> vocab, String source,
                                               SpecialTokensStyle requested) {
        Framing framing = framing(root.get("post_processor"), source);
        if (requested == SpecialTokensStyle.GPT2 || (framing == null && requested == null && vocab.containsKey(END_OF_TEXT))) {
            // GPT-2's byte-level BPE: a ByteLevel post-processor that adds nothing, and one special token
            Long eos = vocab.get(END_OF_TEXT);
            if (eos == null) {
                throw new IllegalArgumentException(source + ": GPT-2 framing ends each segment with " + END_OF_TEXT
                        + ", which this vocabulary does not have");
            }
            return new SpecialTokens(SpecialTokensStyle.GPT2, eos, eos, padId(root, vocab, source, eos));
        }
        if (framing == null) {
            if (vocab.containsKey("[CLS]") && vocab.containsKey("[SEP]")) {
                framing = new Framing(SpecialTokensStyle.BERT, vocab.get("[CLS]"), vocab.get("[SEP]"));
            } else if (vocab.containsKey("<s>") && vocab.containsKey("</s>")) {
                framing = new Framing(SpecialTokensStyle.ROBERTA, vocab.get("<s>"), vocab.get("</s>"));
            } else {
                throw new IllegalArgumentException(source + ": no post_processor and neither [CLS]/[SEP] nor "
                        + "<s>/</s> in the vocabulary; cannot tell how to frame segments");
            }
        }
        SpecialTokensStyle style = requested == null ? framing.style : requested;
        return new SpecialTokens(style, framing.cls, framing.sep, padId(root, vocab, source, null));
    }

    /** GPT-2's end-of-text token, its only special token. */
    static final String END_OF_TEXT = "<|endoftext|>";

    private record Framing(SpecialTokensStyle style, long cls, long sep) {
    }

    /** Reads BertProcessing, RobertaProcessing and two-sequence TemplateProcessing post-processors. */
    private static Framing framing(JsonElement processor, String source) {
        if (processor == null || processor.isJsonNull()) {
            return null;
        }
        JsonObject p = processor.getAsJsonObject();
        String type = p.get("type").getAsString();
        switch (type) {
            case "BertProcessing":
                return new Framing(SpecialTokensStyle.BERT, pairId(p, "cls"), pairId(p, "sep"));
            case "RobertaProcessing":
                return new Framing(SpecialTokensStyle.ROBERTA, pairId(p, "cls"), pairId(p, "sep"));
            case "TemplateProcessing":
                return template(p, source);
            case "Sequence":
                for (JsonElement inner : p.getAsJsonArray("processors")) {
                    Framing f = framing(inner, source);
                    if (f != null) {
                        return f;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static long pairId(JsonObject p, String key) {
        return p.getAsJsonArray(key).get(1).getAsLong();
    }

    /**
     * {@code [CLS] $A [SEP] $B:1 [SEP]:1} is BERT framing; {@code <s> $A </s> </s> $B </s>} is
     * RoBERTa framing. Anything else is refused.
     */
    private static Framing template(JsonObject p, String source) {
        List<String> pair = new ArrayList<>();
        long typeOfB = 0;
        for (JsonElement item : p.getAsJsonArray("pair")) {
            JsonObject o = item.getAsJsonObject();
            if (o.has("SpecialToken")) {
                pair.add(o.getAsJsonObject("SpecialToken").get("id").getAsString());
            } else {
                JsonObject seq = o.getAsJsonObject("Sequence");
                pair.add("$" + seq.get("id").getAsString());
                if (seq.get("id").getAsString().equals("B")) {
                    typeOfB = seq.get("type_id").getAsLong();
                }
            }
        }
        JsonObject specials = p.getAsJsonObject("special_tokens");
        if (pair.size() == 5 && pair.get(1).equals("$A") && pair.get(3).equals("$B")
                && pair.get(2).equals(pair.get(4)) && typeOfB == 1) {
            return new Framing(SpecialTokensStyle.BERT, templateId(specials, pair.get(0), source),
                    templateId(specials, pair.get(2), source));
        }
        if (pair.size() == 6 && pair.get(1).equals("$A") && pair.get(4).equals("$B")
                && pair.get(2).equals(pair.get(3)) && pair.get(3).equals(pair.get(5)) && typeOfB == 0) {
            return new Framing(SpecialTokensStyle.ROBERTA, templateId(specials, pair.get(0), source),
                    templateId(specials, pair.get(2), source));
        }
        throw new IllegalArgumentException(source + ": unsupported TemplateProcessing pair template " + pair
                + "; pass a SpecialTokensStyle explicitly");
    }

    private static long templateId(JsonObject specials, String token, String source) {
        JsonObject entry = specials == null ? null : specials.getAsJsonObject(token);
        if (entry == null) {
            throw new IllegalArgumentException(source + ": special token " + token
                    + " is used in the template but not defined in special_tokens");
        }
        return entry.getAsJsonArray("ids").get(0).getAsLong();
    }

    /** The padding id: the file's padding section, a [PAD] or &lt;pad&gt; token, else {@code fallback} (GPT-2's end of text). */
    private static long padId(JsonObject root, Map<String, Long> vocab, String source, Long fallback) {
        JsonElement padding = root.get("padding");
        if (padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")) {
            return padding.getAsJsonObject().get("pad_id").getAsLong();
        }
        for (String name : List.of("[PAD]", "<pad>")) {
            if (vocab.containsKey(name)) {
                return vocab.get(name);
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new IllegalArgumentException(source + ": no padding section and no [PAD] or <pad> token; "
                + "cannot tell the padding id");
    }

    private static JsonObject object(JsonObject o, String key, String source) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected an object '" + key + "'");
        }
        return e.getAsJsonObject();
    }
}
