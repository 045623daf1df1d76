package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The bad-input table: every row breaks a fresh copy of a small trained fixture (two tasks, each
 * with its artifacts, a trained run and an exported bundle), runs a command or an API call, and
 * checks the outcome: the expected exit status, a one-line message that matches the row and names
 * no Java type and shows no stack trace, every existing file byte-identical, and no new file left
 * in the workspace or in the system temporary folder.
 */
class BadInputTest {
    /** The failure classes the table must cover, by tag; a tag without a row fails the suite. */
    static final Map<String, String> FAILURES = new LinkedHashMap<>();

    static {
        FAILURES.put("F1", "data loss: a command that fails deletes or changes earlier outputs");
        FAILURES.put("F2", "reads or writes outside the artifacts, bundle or output folder");
        FAILURES.put("F3", "crash: a predictor closed while other threads predict");
        FAILURES.put("F4", "silent corruption: unchecked checkpoints, NaN weights");
        FAILURES.put("F5", "errors from inside ONNX Runtime instead of a named mismatch");
        FAILURES.put("F6", "weak bundle.json validation");
        FAILURES.put("F7", "resume with other data or options");
        FAILURES.put("F8", "messages that name Java fields or types, option parsing holes");
        FAILURES.put("F9", "skipped rows not reported, empty texts, leftover temporary files");
    }

    /** The fewest rows the table may have. */
    static final int MIN_ROWS = 60;

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(");
    private static final Pattern QUALIFIED_TYPE = Pattern.compile("\\b(java|javax|jdk|com|org|ai|dev|sun)\\.[a-z]\\w*(\\.\\w+)*\\.[A-Z]\\w*");
    private static final Pattern JAVA_TYPE = Pattern.compile("\\b\\w*(Exception|Error)\\b|NullPointer|No enum constant|"
            + "\\b(String|Integer|JsonObject|JsonElement|JsonNull|Optional|null)\\b(?=[ .(])");

    @TempDir
    static Path tmp;
    private static Path fixture;

    @BeforeAll
    static void buildFixture() throws IOException {
        fixture = tmp.resolve("fixture");
        TinyRun.writeBackbone(fixture.resolve("backbone"), 11);
        TinyRun.writeData(fixture.resolve("data"), 12);
        for (String task : List.of("sst2", "cb")) {
            String ws = fixture.toString();
            run("generate", "--backbone", ws + "/backbone", "--method", "idspam", "--layer", "1", "--prompt-tokens", "2",
                    "--bottleneck", "8", "--generator-heads", "2", "--task", task, "--max-length", "32", "--seed", "3",
                    "--out", ws + "/" + task + "/run");
            run("train", "--artifacts", ws + "/" + task + "/run", "--data", ws + "/data", "--epochs", "2",
                    "--batch-size", "8", "--seed", "4", "--threads", "1");
            run("export", "--artifacts", ws + "/" + task + "/run", "--out", ws + "/" + task + "/bundle", "--threads", "1");
        }
        // an adapter bundle, its frozen weights in sst2/backbones/
        run("export", "--artifacts", fixture + "/sst2/run", "--out", fixture + "/sst2/adapter", "--threads", "1", "--adapter");
    }

    private static void run(String... args) {
        CliRun o = CliRun.of(List.of(args));
        if (o.exit() != 0) {
            fail("building the fixture: idspam " + String.join(" ", args) + " exited " + o.exit() + ": " + o.err());
        }
    }

    static List<Case> rows() {
        List<Case> all = new ArrayList<>();
        all.addAll(CliCases.rows());
        all.addAll(DataCases.rows());
        all.addAll(ArtifactCases.rows());
        all.addAll(BundleCases.rows());
        all.addAll(EvalCases.rows());
        all.addAll(CiDataCases.rows());
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        List<Case> rows = rows();
        return rows.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c, rows.indexOf(c))));
    }

    @Test
    void theTableCoversEveryFailureClassAndIsLargeEnough() {
        List<Case> rows = rows();
        Set<String> covered = new TreeSet<>();
        rows.forEach(r -> covered.add(r.covers()));
        assertThat(covered).as("failure classes with a row").containsAll(FAILURES.keySet());
        assertThat(rows).as("rows").hasSizeGreaterThanOrEqualTo(MIN_ROWS);
        assertThat(rows.stream().map(Case::name).distinct().count()).as("distinct row names").isEqualTo(rows.size());
    }

    private void check(Case c, int index) throws Exception {
        Workspace ws = Workspace.linkCopy(fixture, tmp.resolve("row-" + index));
        c.setup().apply(ws);
        Map<String, String> before = ws.digests();
        Set<String> tempBefore = temporaryLeftovers();
        String message;
        if (c.api() != null) {
            message = null;
            try {
                c.api().call(ws);
            } catch (Exception e) {
                message = String.valueOf(e.getMessage());
            }
            assertThat(message).as("the API call must fail").isNotNull();
        } else {
            List<String> args = c.args().stream().map(a -> a.replace("{ws}", ws.root().toString())).toList();
            CliRun o;
            java.io.InputStream savedIn = System.in;
            try {
                System.setIn(new java.io.ByteArrayInputStream((c.stdin() == null ? "" : c.stdin())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                o = CliRun.of(args);
            } finally {
                System.setIn(savedIn);
            }
            message = o.err();
            assertThat(o.exit()).as("exit status of idspam %s; stderr: %s", String.join(" ", args), o.err()).isEqualTo(c.exit());
        }
        assertThat(message).as("error text").containsPattern(c.message());
        assertClean(message);
        Map<String, String> after = ws.digests();
        for (Map.Entry<String, String> e : before.entrySet()) {
            assertThat(after.get(e.getKey())).as("digest of %s after the call", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(new TreeSet<>(after.keySet())).as("files in the workspace after the call").isEqualTo(new TreeSet<>(before.keySet()));
        // only new names count: other processes on the machine may remove their own files meanwhile
        Set<String> left = new TreeSet<>(temporaryLeftovers());
        left.removeAll(tempBefore);
        assertThat(left).as("idspam files left in the system temporary folder").isEmpty();
    }

    /** No stack trace, no Java type names; at most a message plus a usage hint or a cause. */
    static void assertClean(String message) {
        assertThat(message).as("error text").isNotBlank();
        assertThat(STACK_FRAME.matcher(message).find()).as("stack trace in: %s", message).isFalse();
        assertThat(QUALIFIED_TYPE.matcher(message).find()).as("qualified Java type in: %s", message).isFalse();
        assertThat(JAVA_TYPE.matcher(message).find()).as("Java type or exception name in: %s", message).isFalse();
        assertThat(message.strip().lines().count()).as("lines in: %s", message).isLessThanOrEqualTo(3);
    }

    /**
     * The {@code idspam*} entries of the system temporary folder that this JVM could have made: those
     * that carry its process id, and any without a process id. Folders of other processes (another
     * build on the same machine) come and go on their own and are not this row's doing.
     */
    private static Set<String> temporaryLeftovers() throws IOException {
        Set<String> names = new TreeSet<>();
        String self = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("idspam")).filter(n -> {
                Matcher m = OWNER.matcher(n);
                return !m.lookingAt() || m.group(1).equals(self);
            }).forEach(names::add);
        }
        return names;
    }

    /** The process id in a temporary name such as {@code idspam-ort-12345-678}. */
    private static final Pattern OWNER = Pattern.compile("idspam[\\w-]*?-(\\d+)-");
}
