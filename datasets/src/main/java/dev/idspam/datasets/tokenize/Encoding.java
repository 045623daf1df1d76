package dev.idspam.datasets.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * Token ids of one example, special tokens included, without padding.
 *
 * <p>The arrays are copied on construction and on access, so an {@code Encoding} never changes.
 *
 * @param ids           token ids
 * @param typeIds       segment ids: 0 for the first segment, 1 for the second in BERT style; all 0
 *                      in RoBERTa style
 * @param attentionMask 1 for every token (padding is added later, by the batcher)
 */
public record Encoding(long[] ids, long[] typeIds, long[] attentionMask) {

    public Encoding {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(typeIds, "typeIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        if (typeIds.length != ids.length || attentionMask.length != ids.length) {
            throw new IllegalArgumentException("ids, typeIds and attentionMask must have equal lengths, got "
                    + ids.length + ", " + typeIds.length + ", " + attentionMask.length);
        }
        ids = ids.clone();
        typeIds = typeIds.clone();
        attentionMask = attentionMask.clone();
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** A copy of the token ids. */
    @Override
    public long[] ids() {
        return ids.clone();
    }

    /** A copy of the segment ids. */
    @Override
    public long[] typeIds() {
        return typeIds.clone();
    }

    /** A copy of the attention mask. */
    @Override
    public long[] attentionMask() {
        return attentionMask.clone();
    }

    /** Copies the ids, type ids and mask into row buffers starting at {@code offset}. */
    public void copyInto(long[] idsOut, long[] typeIdsOut, long[] maskOut, int offset) {
        System.arraycopy(ids, 0, idsOut, offset, ids.length);
        System.arraycopy(typeIds, 0, typeIdsOut, offset, typeIds.length);
        System.arraycopy(attentionMask, 0, maskOut, offset, attentionMask.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(attentionMask, e.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(typeIds)) + Arrays.hashCode(attentionMask);
    }

    @Override
    public String toString() {
        return "Encoding[ids=" + Arrays.toString(ids) + ", typeIds=" + Arrays.toString(typeIds) + "]";
    }
}
