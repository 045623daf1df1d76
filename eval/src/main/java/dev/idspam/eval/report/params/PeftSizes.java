package dev.idspam.eval.report.params;

/**
 * The sizes that decide how many weights a method trains.
 *
 * @param numLabels    classes C of the task head (1 for regression)
 * @param promptTokens soft-prompt length t
 * @param bottleneck   ID-SPAM bottleneck width c
 * @param lptRank      LPT generator width r
 * @param loraRank     LoRA rank r
 */
public record PeftSizes(int numLabels, int promptTokens, int bottleneck, int lptRank, int loraRank) {

    public PeftSizes {
        if (numLabels < 1 || promptTokens < 1 || bottleneck < 1 || lptRank < 1 || loraRank < 1) {
            throw new IllegalArgumentException("all sizes must be ≥ 1: C=" + numLabels + " t="
                    + promptTokens + " c=" + bottleneck + " LPT r=" + lptRank + " LoRA r=" + loraRank);
        }
    }

    /**
     * The project's defaults (shared/docs/METHOD.md): t = 10, c = 192 when n ≥ 384 else n/2,
     * LPT r = 256, LoRA r = 8.
     */
    public static PeftSizes defaults(BackboneConfig backbone, int numLabels) {
        int n = backbone.hidden();
        return new PeftSizes(numLabels, 10, n >= 384 ? 192 : n / 2, 256, 8);
    }
}
