package dev.idspam.eval.metrics;

/** The benchmark a task belongs to; reports give each benchmark its own table. */
public enum Benchmark {
    GLUE("GLUE"),
    SUPERGLUE("SuperGLUE"),
    OTHER("Other tasks");

    private final String displayName;

    Benchmark(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
