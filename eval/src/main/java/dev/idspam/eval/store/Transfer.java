package dev.idspam.eval.store;

/**
 * Where a transfer run was trained and where it was evaluated.
 *
 * @param source task the model was trained on, e.g. {@code "sst2"}
 * @param target task it was evaluated on, e.g. {@code "imdb"}; equal to the cell's task
 * @param shots  0 for zero-shot transfer, otherwise the number of target training examples used
 *               for the few-shot stage (the paper uses 100)
 */
public record Transfer(String source, String target, int shots) {

    public Transfer {
        if (source == null || source.isBlank() || target == null || target.isBlank()) {
            throw new IllegalArgumentException("transfer needs a source and a target task, got "
                    + source + " → " + target);
        }
        if (shots < 0) {
            throw new IllegalArgumentException("transfer shots must be ≥ 0, got " + shots);
        }
    }

    /** True for zero-shot transfer (no target training examples). */
    public boolean zeroShot() {
        return shots == 0;
    }
}
