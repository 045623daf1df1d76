package dev.idspam.runtime;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Runs a main class of the test classpath in a fresh JVM, optionally with classpath entries removed. */
final class ForkedJvm {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private ForkedJvm() {
    }

    static Result run(Class<?> main, Predicate<String> dropEntry, String... args) throws Exception {
        return run(List.of(), Map.of(), main, dropEntry, args);
    }

    /** As {@link #run(Class, Predicate, String...)}, with extra JVM options and environment variables. */
    static Result run(List<String> jvmOptions, Map<String, String> env, Class<?> main, Predicate<String> dropEntry,
                      String... args) throws Exception {
        return run(Path.of(System.getProperty("java.home")), jvmOptions, env, main, dropEntry, args);
    }

    /** As above, on the Java installation at {@code javaHome}. */
    static Result run(Path javaHome, List<String> jvmOptions, Map<String, String> env, Class<?> main,
                      Predicate<String> dropEntry, String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(dropEntry.negate()).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin").resolve("java").toString(),
                "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(main.getName() + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The GPU core jar, dropped so that a fork sees the CPU core only. */
    static boolean isBytedecoGpuJar(String entry) {
        return isBytedecoJar(entry) && entry.contains("-gpu");
    }

    static boolean isBytedecoJar(String entry) {
        return entry.replace('\\', '/').contains("/org/bytedeco/");
    }
}
