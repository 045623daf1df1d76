package dev.idspam.pipeline.methods;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/METHOD.md's table of method options against the registry, the one home of their defaults:
 * the same options, the same defaults and the same methods reading each, so the document cannot
 * drift from the code.
 */
class MethodDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `--([a-z-]+)` \\| ([^|]+) \\| ([^|]+) \\|$", Pattern.MULTILINE);

    @Test
    void theOptionTableMatchesTheRegistry() throws IOException {
        Path doc = Path.of(System.getProperty("idspam.data", "../data")).resolveSibling("docs").resolve("METHOD.md");
        String text = Files.readString(doc);
        Map<String, String> documented = new TreeMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).strip() + " | " + m.group(3).strip());
        }
        Map<String, String> registered = new TreeMap<>();
        for (MethodOption o : MethodRegistry.allOptions()) {
            String readers = MethodRegistry.providers().stream().filter(p -> reads(p, o)).map(MethodProvider::id)
                    .collect(Collectors.joining(", "));
            registered.put(o.name(), o.defaultText() + " | " + readers);
        }
        assertThat(documented).as("option table in %s", doc).isEqualTo(registered);
        assertThat(new TreeSet<>(documented.keySet())).isNotEmpty();
    }

    private static boolean reads(MethodProvider<?> p, MethodOption o) {
        return p.options().stream().anyMatch(x -> x.name().equals(o.name()));
    }
}
