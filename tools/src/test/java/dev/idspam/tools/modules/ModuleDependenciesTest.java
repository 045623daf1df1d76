package dev.idspam.tools.modules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every module uses only the modules {@link ModuleRules#ALLOWED} lets it use, in code and in its pom. */
class ModuleDependenciesTest {
    /** The repository root: the tests run in the tools folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static List<String> modules() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theTableHasOneRowPerModule() throws IOException {
        assertThat(modules()).containsExactlyInAnyOrderElementsOf(ModuleRules.ALLOWED.keySet());
    }

    @Test
    void everyModulesCodeUsesOnlyAllowedModules() throws IOException {
        List<ModuleRules.Violation> found = new ArrayList<>();
        for (String module : modules()) {
            found.addAll(ModuleRules.check(module, ROOT.resolve(module)));
        }
        assertThat(found).isEmpty();
    }

    @Test
    void everyPomDeclaresOnlyAllowedModules() throws IOException {
        Pattern dep = Pattern.compile("<dependency>\\s*<groupId>dev\\.idspam</groupId>\\s*<artifactId>idspam-([a-z]+)</artifactId>"
                + "(?:(?!</dependency>).)*?</dependency>", Pattern.DOTALL);
        for (String module : modules()) {
            Matcher m = dep.matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
            Set<String> declared = new TreeSet<>();
            while (m.find()) {
                if (!m.group().contains("<scope>test</scope>")) {
                    declared.add(m.group(1));
                }
            }
            assertThat(declared).as("project modules in %s/pom.xml", module).isSubsetOf(ModuleRules.ALLOWED.get(module));
        }
    }

    @Test
    void aForbiddenImportIsReported(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("serving/src/main/java/dev/idspam/serving");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Fine.java"), """
                package dev.idspam.serving;

                import dev.idspam.datasets.task.Task;
                import dev.idspam.serving.Bundle;

                /** Uses {@link dev.idspam.runtime.Batch} in a comment only, and "dev.idspam.graphs.x" in a string. */
                final class Fine {
                }
                """);
        assertThat(ModuleRules.check("serving", tmp.resolve("serving"))).isEmpty();

        Files.writeString(dir.resolve("Bad.java"), """
                package dev.idspam.serving;

                import dev.idspam.datasets.task.Task;
                import dev.idspam.runtime.InferenceModel;
                import static dev.idspam.graphs.methods.TaskModel.LOGITS;

                final class Bad {
                    Object session = dev.idspam.runtime.NativeRuntime.current();
                }
                """);
        List<ModuleRules.Violation> found = ModuleRules.check("serving", tmp.resolve("serving"));
        assertThat(found).extracting(ModuleRules.Violation::line).containsExactly(4, 5, 8);
        assertThat(found).extracting(ModuleRules.Violation::used).containsExactly("runtime", "graphs", "runtime");
        assertThat(found.get(0).toString()).endsWith("Bad.java:4: module serving may not use runtime (allowed: [datasets])");
    }
}
