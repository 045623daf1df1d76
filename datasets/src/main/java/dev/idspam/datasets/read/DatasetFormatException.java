package dev.idspam.datasets.read;

/**
 * A row of a data file that does not match its task's format. The message names the file, the
 * 1-based line number and the field, e.g.
 * {@code RTE/train.tsv line 17: label 'entailed' is not one of [entailment, not_entailment]}.
 */
public final class DatasetFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String field;

    /**
     * @param file   file name as shown to users, e.g. {@code RTE/train.tsv}
     * @param line   1-based line number, or 0 when the problem concerns a whole file
     * @param field  the column or JSON field at fault ({@code "columns"} for a wrong column count,
     *               {@code "json"} for unparsable JSON, {@code "encoding"} for invalid UTF-8)
     * @param detail what is wrong, starting with the field where that reads naturally
     */
    public DatasetFormatException(String file, long line, String field, String detail) {
        super(file + (line > 0 ? " line " + line : "") + ": " + detail);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String field() {
        return field;
    }
}
