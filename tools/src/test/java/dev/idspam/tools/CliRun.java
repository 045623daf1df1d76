package dev.idspam.tools;


import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs {@code idspam ARGS} in this JVM through {@link Main#execute} and captures what it printed.
 * Standard output and error are process-wide, so calls are serialised.
 *
 * @param exit the exit status
 * @param out  standard output
 * @param err  standard error
 */
public record CliRun(int exit, String out, String err) {
    public static synchronized CliRun of(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args.toArray(String[]::new));
            return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    public static CliRun of(String... args) {
        return of(List.of(args));
    }
}
