package dev.idspam.tools.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which project module may use which: the one table of allowed dependencies, and a scanner that
 * checks a module's main sources against it. A module's code lives in {@code dev.idspam.<module>};
 * every {@code dev.idspam.<other>.} name in its code (imports, static imports and fully qualified
 * names; comments are skipped) is a use of module {@code <other>}.
 */
final class ModuleRules {
    /** Module → the project modules its main code may use. README's "Modules" section draws this. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "graphs", Set.of(),
            "datasets", Set.of(),
            "runtime", Set.of("graphs"),
            "eval", Set.of(),
            "serving", Set.of("datasets"),
            "server", Set.of("serving"),
            "spark", Set.of("serving"),
            "pipeline", Set.of("graphs", "datasets", "runtime", "eval", "serving"),
            "tools", Set.of("graphs", "datasets", "runtime", "eval", "serving", "server", "pipeline"));

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern USE = Pattern.compile("\\bdev\\.idspam\\.([a-z]+)\\.");

    private ModuleRules() {
    }

    /** One forbidden use: {@code file:line} uses {@code module}. */
    record Violation(Path file, int line, String module, String used) {
        @Override
        public String toString() {
            return file + ":" + line + ": module " + module + " may not use " + used + " (allowed: "
                    + new TreeSet<>(ALLOWED.get(module)) + ")";
        }
    }

    /** Every forbidden use in the main sources of {@code module}, found under {@code moduleDir}/src/main/java. */
    static List<Violation> check(String module, Path moduleDir) {
        Set<String> allowed = ALLOWED.get(module);
        if (allowed == null) {
            throw new IllegalArgumentException("module " + module + " has no row in the dependency table");
        }
        List<Violation> out = new ArrayList<>();
        Path sources = moduleDir.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.addAll(check(module, allowed, f, Files.readString(f, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<Violation> check(String module, Set<String> allowed, Path file, String source) {
        String code = blank(STRING, blank(COMMENT, source));
        List<Violation> out = new ArrayList<>();
        Matcher m = USE.matcher(code);
        while (m.find()) {
            String used = m.group(1);
            if (!used.equals(module) && !allowed.contains(used)) {
                int line = 1 + (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                out.add(new Violation(file, line, module, used));
            }
        }
        return out;
    }

    /** Replaces each match by spaces, keeping line breaks, so that line numbers stay right. */
    private static String blank(Pattern p, String s) {
        return p.matcher(s).replaceAll(r -> r.group().replaceAll("[^\\n]", " "));
    }
}
