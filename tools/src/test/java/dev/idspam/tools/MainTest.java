package dev.idspam.tools;

import com.google.gson.JsonParseException;
import dev.idspam.runtime.DeviceUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit statuses and the one-line error text of the command line. */
class MainTest {
    @Test
    void exitStatusIsDecidedByTheKindOfError() {
        assertThat(Main.exitStatus(new Args.UsageException("x"))).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.exitStatus(new IOException("x"))).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.exitStatus(new UncheckedIOException(new IOException("x")))).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.exitStatus(new IllegalArgumentException("x"))).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.exitStatus(new JsonParseException("x"))).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.exitStatus(new IllegalStateException("x"))).isEqualTo(Main.EXIT_FAILED);
        assertThat(Main.exitStatus(new DeviceUnavailableException("no GPU"))).isEqualTo(Main.EXIT_ENVIRONMENT);
    }

    @Test
    void outOfMemoryIsAnEnvironmentErrorAlsoWhenItArrivesWrapped() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThat(Main.exitStatus(oom)).isEqualTo(Main.EXIT_ENVIRONMENT);
        // from a worker thread, through a future, or wrapped by a library
        assertThat(Main.exitStatus(new ExecutionException(oom))).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(Main.exitStatus(new IllegalStateException("batch 3", new RuntimeException(oom))))
                .isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(Main.exitStatus(new StackOverflowError())).isEqualTo(Main.EXIT_FAILED);
    }

    @Test
    void descriptionsDropJavaTypeNamesAndLibraryLinksAndKeepAtMostTwoCauses() {
        JsonParseException gson = new JsonParseException("com.google.gson.stream.MalformedJsonException: Unterminated object"
                + " at line 1 column 9 path $.a\nSee https://github.com/google/gson/blob/main/Troubleshooting.md#malformed-json");
        assertThat(Main.describe(gson)).isEqualTo("Unterminated object at line 1 column 9 path $.a");
        assertThat(Main.describe(new IOException("x.json: not valid JSON (Use JsonReader.setStrictness(Strictness.LENIENT) to"
                + " accept malformed JSON at line 1 column 14 path $)"))).isEqualTo("x.json: not valid JSON (malformed JSON at line 1"
                + " column 14 path $)");
        assertThat(Main.describe(new IOException("java.io.EOFException: End of input at line 1 column 13")))
                .isEqualTo("End of input at line 1 column 13");
        Exception chain = new IOException("loading x", new IllegalStateException("first\nsecond line",
                new RuntimeException("deeper", new RuntimeException("deepest"))));
        assertThat(Main.describe(chain)).isEqualTo("loading x\n  caused by: first; second line\n  caused by: deeper");
        assertThat(Main.describe(new NullPointerException())).isEqualTo(
                "unexpected internal error; run with IDSPAM_DEBUG=1 for the stack trace");
    }
}
