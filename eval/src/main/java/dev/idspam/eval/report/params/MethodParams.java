package dev.idspam.eval.report.params;

/**
 * Trainable parameters of one method on one backbone, split into the method's own weights and
 * the task head.
 *
 * @param method       method id, e.g. {@code "idspam"}
 * @param methodParams weights added or unfrozen by the method (for fine-tuning: the backbone)
 * @param headParams   the task head
 */
public record MethodParams(String method, long methodParams, long headParams) {

    /** Everything trained. */
    public long total() {
        return methodParams + headParams;
    }
}
