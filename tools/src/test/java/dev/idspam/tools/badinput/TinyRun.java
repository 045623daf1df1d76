package dev.idspam.tools.badinput;

import dev.idspam.graphs.backbone.Safetensors;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds, by code, what the bad-input cases run against: a tiny BERT backbone as a Hugging Face
 * folder (2 layers, hidden 16, a 90-token WordPiece vocabulary), small SST-2 and CB data folders,
 * and for each task a trained run and its exported bundle. Everything takes seconds, so the table
 * does not depend on downloading a real backbone.
 */
final class TinyRun {
    static final int HIDDEN = 16;
    static final int LAYERS = 2;
    static final int INTERMEDIATE = 32;
    static final int POSITIONS = 64;

    private TinyRun() {
    }

    /** The words every generated sentence is made of; each is a whole token of the vocabulary. */
    static final List<String> WORDS = List.of("the", "film", "is", "good", "bad", "fun", "dull", "a", "plot", "not",
            "very", "and", "it", "was", "man", "dog", "runs", "sleeps", "park", "in");

    static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        v.addAll(WORDS);
        for (char c = 'a'; c <= 'z'; c++) {
            v.add(String.valueOf(c));
            v.add("##" + c);
        }
        v.addAll(List.of(".", ",", "-", "'", "!", "?"));
        return v;
    }

    /** Writes config.json, model.safetensors and vocab.txt into {@code dir}. */
    static Path writeBackbone(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        List<String> vocab = vocabulary();
        Files.write(dir.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
                {"model_type": "bert", "num_hidden_layers": %d, "hidden_size": %d, "num_attention_heads": 4,
                 "intermediate_size": %d, "vocab_size": %d, "max_position_embeddings": %d, "type_vocab_size": 2,
                 "layer_norm_eps": 1e-12, "hidden_act": "gelu", "pad_token_id": 0}
                """, LAYERS, HIDDEN, INTERMEDIATE, vocab.size(), POSITIONS), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}\n");
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, TensorData> t = new LinkedHashMap<>();
        // Hugging Face layout: Linear weights are [out, in]; values are random, so no transposes matter
        put(t, r, "embeddings.word_embeddings.weight", 0.5, vocab.size(), HIDDEN);
        put(t, r, "embeddings.position_embeddings.weight", 0.5, POSITIONS, HIDDEN);
        put(t, r, "embeddings.token_type_embeddings.weight", 0.5, 2, HIDDEN);
        norm(t, r, "embeddings.LayerNorm");
        for (int i = 0; i < LAYERS; i++) {
            String l = "encoder.layer." + i + ".";
            linear(t, r, l + "attention.self.query", HIDDEN, HIDDEN);
            linear(t, r, l + "attention.self.key", HIDDEN, HIDDEN);
            linear(t, r, l + "attention.self.value", HIDDEN, HIDDEN);
            linear(t, r, l + "attention.output.dense", HIDDEN, HIDDEN);
            norm(t, r, l + "attention.output.LayerNorm");
            linear(t, r, l + "intermediate.dense", INTERMEDIATE, HIDDEN);
            linear(t, r, l + "output.dense", HIDDEN, INTERMEDIATE);
            norm(t, r, l + "output.LayerNorm");
        }
        linear(t, r, "pooler.dense", HIDDEN, HIDDEN);
        Safetensors.write(dir.resolve("model.safetensors"), t, Safetensors.StorageType.F32);
        return dir;
    }

    private static void linear(Map<String, TensorData> t, SplittableRandom r, String name, int out, int in) {
        put(t, r, name + ".weight", 1 / Math.sqrt(in), out, in);
        put(t, r, name + ".bias", 0.1, out);
    }

    private static void norm(Map<String, TensorData> t, SplittableRandom r, String name) {
        float[] g = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            g[i] = (float) (1 + 0.1 * gaussian(r));
        }
        t.put(name + ".weight", TensorData.ofFloats(new long[] {HIDDEN}, g));
        put(t, r, name + ".bias", 0.1, HIDDEN);
    }

    private static void put(Map<String, TensorData> t, SplittableRandom r, String name, double std, long... dims) {
        float[] v = new float[(int) TensorData.count(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * gaussian(r));
        }
        t.put(name, TensorData.ofFloats(dims, v));
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Writes SST-2 (train.tsv 48 rows, dev.tsv 16) and CB (train.jsonl 36, val.jsonl 12) under {@code dir}. */
    static Path writeData(Path dir, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Files.createDirectories(dir.resolve("SST-2"));
        Files.createDirectories(dir.resolve("CB"));
        Files.writeString(dir.resolve("SST-2/train.tsv"), sst2(r, 48), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("SST-2/dev.tsv"), sst2(r, 16), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("CB/train.jsonl"), cb(r, 36), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("CB/val.jsonl"), cb(r, 12), StandardCharsets.UTF_8);
        return dir;
    }

    private static String sentence(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
        }
        return sb.append(" .").toString();
    }

    private static String sst2(SplittableRandom r, int rows) {
        StringBuilder sb = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < rows; i++) {
            sb.append(sentence(r, 3 + r.nextInt(6))).append('\t').append(i % 2).append('\n');
        }
        return sb.toString();
    }

    private static String cb(SplittableRandom r, int rows) {
        String[] labels = {"entailment", "contradiction", "neutral"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append(String.format(Locale.ROOT, "{\"premise\": \"%s\", \"hypothesis\": \"%s\", \"label\": \"%s\", \"idx\": %d}%n",
                    sentence(r, 5 + r.nextInt(5)), sentence(r, 3), labels[i % 3], i));
        }
        return sb.toString();
    }
}
