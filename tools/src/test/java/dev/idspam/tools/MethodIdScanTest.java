package dev.idspam.tools;

import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method's identity lives in its package: no main source outside a method's package may name its
 * id as a string literal ({@code "lora"}); everything else reads methods from the registry. Comments
 * and text that merely contains an id (a usage line, a file name) do not count.
 */
class MethodIdScanTest {
    /**
     * Literals allowed outside the method's package, as "file name:literal": the program's own name,
     * which the proposed method shares (ONNX producer, runtime log id, cache folder, command name).
     */
    private static final List<String> ALLOWED = List.of("OnnxWriter.java:idspam", "OptimizerModel.java:idspam",
            "NativeRuntime.java:idspam", "DataLocator.java:idspam", "Cli.java:idspam");

    @Test
    void noMainSourceOutsideAMethodsPackageNamesItsId() throws IOException {
        Map<String, String> packageOf = MethodRegistry.providers().stream()
                .collect(Collectors.toMap(MethodProvider::id, p -> p.getClass().getPackageName()));
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("[^/]+/src/main/java/.*"))
                    .toList();
        }
        assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(50);
        List<String> found = new ArrayList<>();
        for (Path f : sources) {
            String text = Files.readString(f);
            String pkg = packageOf(text);
            for (String literal : stringLiterals(text)) {
                String home = packageOf.get(literal);
                if (home != null && !pkg.equals(home) && !ALLOWED.contains(f.getFileName() + ":" + literal)) {
                    found.add(root.relativize(f) + ":" + literal);
                }
            }
        }
        assertThat(found).as("method ids named outside their package; read them from MethodRegistry").isEmpty();
    }

    @Test
    void theScanSeesLiteralsButNotComments() {
        String src = """
                package a.b; // "lora" in a comment
                /* "idspam" */ class X { String s = "lo\\"ra"; String t = "probe"; char c = '"'; String u = "full"; }
                """;
        assertThat(packageOf(src)).isEqualTo("a.b");
        assertThat(stringLiterals(src)).containsExactly("lo\\\"ra", "probe", "full");
    }

    private static String packageOf(String text) {
        var m = java.util.regex.Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(text);
        return m.find() ? m.group(1) : "";
    }

    /** The string literals of a Java source (text blocks included, as one literal each), comments skipped. */
    static List<String> stringLiterals(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                i = s.indexOf('\n', i);
                i = i < 0 ? n : i;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end;
                out.add(s.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    out.add(s.substring(i + 1, Math.min(j, n)));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}
