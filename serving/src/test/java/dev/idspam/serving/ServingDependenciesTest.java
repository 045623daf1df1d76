package dev.idspam.serving;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serving stays slim: the stock ONNX Runtime jar, the tokenizers (through the datasets module) and
 * Gson. Neither its pom nor its resolved test classpath (which holds every compile and runtime
 * dependency) may bring in the training stack.
 */
class ServingDependenciesTest {
    /** Artifacts of the training stack, matched against jar file names and pom artifact ids. */
    static final List<String> FORBIDDEN = List.of("bytedeco", "javacpp", "tribuo", "protobuf", "flatbuffers",
            "commons-math", "idspam-graphs", "idspam-runtime", "idspam-eval", "idspam-pipeline", "idspam-tools");
    /** The only dependencies the pom may declare. */
    static final List<String> DECLARED = List.of("idspam-datasets", "onnxruntime", "gson");

    /** The entries of a classpath that name a forbidden artifact (jar names, or a sibling module's classes folder). */
    static List<String> forbidden(String classpath) {
        return Arrays.stream(classpath.split(Pattern.quote(File.pathSeparator)))
                .filter(entry -> FORBIDDEN.stream().anyMatch(f -> matches(entry, f)))
                .toList();
    }

    private static boolean matches(String entry, String artifact) {
        String normalised = entry.replace('\\', '/');
        String module = artifact.startsWith("idspam-") ? artifact.substring("idspam-".length()) : null;
        return normalised.contains(artifact)
                || (module != null && normalised.matches(".*/" + module + "/target/(test-)?classes/?"));
    }

    @Test
    void theClasspathHoldsNoTrainingStack() {
        String classpath = System.getProperty("java.class.path");
        assertThat(classpath).contains("onnxruntime").contains("gson").contains("tokenizers");
        assertThat(forbidden(classpath)).isEmpty();
    }

    @Test
    void thePomDeclaresOnlyTheAllowedDependencies() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<dependency>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL).matcher(pom);
        List<String> declared = new java.util.ArrayList<>();
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertThat(declared).containsExactlyElementsOf(DECLARED);
    }

    @Test
    void aForbiddenJarIsFound() {
        String cp = String.join(File.pathSeparator, "/m2/com/google/code/gson/gson-2.13.2.jar",
                "/m2/org/bytedeco/onnxruntime/1.24.1-1.5.13/onnxruntime-1.24.1-1.5.13-linux-x86_64.jar",
                "/work/idspam/runtime/target/classes", "/m2/org/tribuo/tribuo-util-onnx-4.3.2.jar");
        assertThat(forbidden(cp)).hasSize(3);
    }
}
