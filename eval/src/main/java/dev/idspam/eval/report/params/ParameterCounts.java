package dev.idspam.eval.report.params;

import java.util.List;

/**
 * Trainable parameter counts of each method, computed from the shapes in shared/docs/METHOD.md.
 * Pure functions: no graph is built. n is the hidden size, t the prompt length, c the ID-SPAM
 * bottleneck, r a rank, C the number of labels, N the number of layers.
 */
public final class ParameterCounts {

    /** Method ids, shared with the results store and the reports. */
    public static final String FINETUNE = "full";
    public static final String LORA = "lora";
    public static final String PROMPT_TUNING = "prompt-tuning";
    public static final String LPT = "lpt";
    public static final String IDSPAM = "idspam";
    public static final String IDSPAM_MEANPOOL = "idspam-meanpool";

    private ParameterCounts() {
    }

    /**
     * ID-SPAM generator: Q, K, V (n×n each, with biases when {@code qkvBias}), down-projection
     * n×c + c, up-projection c×(t·n) + t·n: 3(n²+n) + (n·c + c) + (c·t·n + t·n).
     */
    public static long idSpamGenerator(int n, int t, int c, boolean qkvBias) {
        long nn = n;
        long qkv = 3 * (nn * nn + (qkvBias ? nn : 0));
        return qkv + meanPoolGenerator(n, t, c);
    }

    /** The mean-pool ablation: the ID-SPAM generator without Q, K, V: (n·c + c) + (c·t·n + t·n). */
    public static long meanPoolGenerator(int n, int t, int c) {
        long nn = n;
        long tn = (long) t * n;
        return nn * c + c + (long) c * tn + tn;
    }

    /** Task head: dense n→n with bias, then dense n→C with bias: n² + n + n·C + C. */
    public static long head(int n, int numLabels) {
        long nn = n;
        return nn * nn + nn + nn * numLabels + numLabels;
    }

    /** Prompt Tuning: t free prompt vectors, t·n. */
    public static long promptTuning(int n, int t) {
        return (long) t * n;
    }

    /** LPT prompt generator: Linear(n→r) + Linear(r→t·n), both with bias: n·r + r + r·t·n + t·n. */
    public static long lpt(int n, int t, int r) {
        long tn = (long) t * n;
        return (long) n * r + r + (long) r * tn + tn;
    }

    /** LoRA on W_Q and W_V of every layer, A (n×r) and B (r×n) each: N·2·(2·n·r). */
    public static long lora(int layers, int n, int r) {
        return (long) layers * 2 * (2L * n * r);
    }

    /** Every trainable count for one backbone, in table order; all methods train the same head. */
    public static List<MethodParams> forBackbone(BackboneConfig b, PeftSizes s) {
        int n = b.hidden();
        long head = head(n, s.numLabels());
        return List.of(
                new MethodParams(FINETUNE, b.totalParamsWithoutPooler(), head),
                new MethodParams(LORA, lora(b.layers(), n, s.loraRank()), head),
                new MethodParams(PROMPT_TUNING, promptTuning(n, s.promptTokens()), head),
                new MethodParams(LPT, lpt(n, s.promptTokens(), s.lptRank()), head),
                new MethodParams(IDSPAM,
                        idSpamGenerator(n, s.promptTokens(), s.bottleneck(), true), head),
                new MethodParams(IDSPAM_MEANPOOL,
                        meanPoolGenerator(n, s.promptTokens(), s.bottleneck()), head));
    }
}
