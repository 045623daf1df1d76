package dev.idspam.tools.badinput;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One row of the bad-input table: what to break in a fresh copy of the fixture, what to run, and
 * what must come out. A CLI row runs {@code idspam ARGS} in-process and expects the exit status; an
 * API row calls Java code and expects an exception. Either way the message must match
 * {@code message}, be free of stack traces and Java type names, and every file that existed before
 * must be byte-identical afterwards.
 *
 * @param name    what the row checks, in a few words
 * @param covers  the failure class it covers (see {@link BadInputTest#FAILURES}), or "" for an
 *                input that was already handled
 * @param setup   breaks the workspace before the call (may be a no-op)
 * @param args    the command line; {@code {ws}} stands for the row's workspace folder
 * @param api     for API rows, the call that must throw; null for CLI rows
 * @param exit    the expected exit status of a CLI row
 * @param message a pattern that must be found in the error text
 * @param stdin   what a CLI row reads from standard input, or null for nothing
 */
record Case(String name, String covers, Setup setup, List<String> args, ApiCall api, int exit, Pattern message,
            String stdin) {
    /** Breaks the workspace before the row runs. */
    @FunctionalInterface
    interface Setup {
        void apply(Workspace ws) throws Exception;
    }

    /** An API call that must fail. */
    @FunctionalInterface
    interface ApiCall {
        void call(Workspace ws) throws Exception;
    }

    static final Setup NOTHING = ws -> { };

    static Case cli(String name, String covers, Setup setup, int exit, String messageRegex, String... args) {
        return new Case(name, covers, setup, List.of(args), null, exit, Pattern.compile(messageRegex), null);
    }

    /** A CLI row that reads {@code stdin} from standard input. */
    static Case cliStdin(String name, String covers, String stdin, int exit, String messageRegex, String... args) {
        return new Case(name, covers, NOTHING, List.of(args), null, exit, Pattern.compile(messageRegex), stdin);
    }

    static Case cli(String name, String covers, int exit, String messageRegex, String... args) {
        return cli(name, covers, NOTHING, exit, messageRegex, args);
    }

    static Case api(String name, String covers, Setup setup, ApiCall call, String messageRegex) {
        return new Case(name, covers, setup, List.of(), call, 0, Pattern.compile(messageRegex), null);
    }

    @Override
    public String toString() {
        return (covers.isEmpty() ? "" : "[" + covers + "] ") + name;
    }
}
