package dev.idspam.graphs.backbone;

/**
 * Where a backbone's tokenizer lives and how to run it; the datasets module builds the tokenizer
 * from this, and artifact manifests record it.
 *
 * @param kind      HF_JSON (a Hugging Face {@code tokenizer.json}) or WORDPIECE_VOCAB (a {@code vocab.txt})
 * @param location  the file or (jar) entry
 * @param lowercase whether input text is lowercased (for HF_JSON: what its normalizer does)
 * @param style     special-token layout: BERT ([CLS] a [SEP] b [SEP]), ROBERTA (&lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;)
 *                  or GPT2 (a &lt;|endoftext|&gt; b &lt;|endoftext|&gt;, padded with &lt;|endoftext|&gt;)
 */
public record TokenizerRef(Kind kind, ResourceLocation location, boolean lowercase, Style style) {
    public enum Kind { HF_JSON, WORDPIECE_VOCAB }

    public enum Style { BERT, ROBERTA, GPT2 }

    public TokenizerRef {
        if (kind == null || location == null || style == null) {
            throw new IllegalArgumentException("tokenizer reference needs a kind, a location and a style");
        }
    }
}
