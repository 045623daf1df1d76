package dev.idspam.server;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server adds only the HTTP stack and metrics to serving: its pom declares serving, Javalin and
 * Micrometer's Prometheus registry for its main code, and no part of the training stack reaches the
 * classpath (the ONNX protobuf classes that the tests use to write a tiny model are test-scoped).
 */
class ServerDependenciesTest {
    static final List<String> FORBIDDEN = List.of("bytedeco", "javacpp", "flatbuffers", "commons-math",
            "/graphs/target/", "/runtime/target/", "/eval/target/", "/pipeline/target/", "/tools/target/",
            "idspam-graphs", "idspam-runtime", "idspam-eval", "idspam-pipeline", "idspam-tools");

    @Test
    void theClasspathHoldsNoTrainingStack() {
        String cp = System.getProperty("java.class.path").replace('\\', '/');
        assertThat(cp).contains("javalin").contains("micrometer-registry-prometheus").contains("onnxruntime");
        List<String> bad = Arrays.stream(cp.split(Pattern.quote(File.pathSeparator)))
                .filter(e -> FORBIDDEN.stream().anyMatch(e::contains)).toList();
        assertThat(bad).isEmpty();
    }

    @Test
    void thePomDeclaresOnlyServingTheHttpStackAndMetricsForMainCode() throws IOException {
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(Files.readString(Path.of("pom.xml")));
        List<String> main = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).contains("<scope>test</scope>")) {
                Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(m.group(1));
                assertThat(a.find()).isTrue();
                main.add(a.group(1));
            }
        }
        assertThat(main).containsExactly("idspam-serving", "javalin", "micrometer-registry-prometheus");
    }
}
