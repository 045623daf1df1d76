package dev.idspam.datasets.task;

/** How a task's official distribution stores its examples. */
public enum TaskFormat {
    /** GLUE: tab-separated values, no quoting, usually a header row (CoLA has none). */
    GLUE_TSV,
    /** SuperGLUE: one JSON object per line. */
    SUPERGLUE_JSONL,
    /** Large Movie Review Dataset: one text file per review under {@code <split>/{pos,neg}/}. */
    IMDB_FOLDERS,
    /** A user's own table: CSV or TSV with a header row, or JSON lines ({@link CustomTask}). */
    CUSTOM_TABLE
}
