package dev.idspam.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.idspam.graphs.io.TempFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The process's ONNX Runtime, wired for on-device training (ORT-TRAINING-ARTIFACTS.md §1.2): the
 * official {@code ai.onnxruntime} classes and JNI from the Microsoft jar, bound to the
 * training-enabled native core shipped in the bytedeco jar. {@link #install} must run before any
 * {@code ai.onnxruntime} class is initialised; it extracts the core, points the official loader at
 * it, creates the environment with one global thread pool, and checks that training is really
 * enabled (the inference-only core would crash the JVM in {@code setSeed}).
 *
 * <p>The environment, the native library and the thread pool are per process, so there is one
 * instance per JVM; it is never closed. This class's static initialiser touches no ORT class.
 */
public final class NativeRuntime {
    private static final Logger LOG = Logger.getLogger(NativeRuntime.class.getName());

    /** ONNX Runtime version of the Java classes and of the native cores this project pins. */
    public static final String ORT_VERSION = "1.24.1";
    static final String BYTEDECO_VERSION = "1.24.1-1.5.13";
    static final String CPU_CORE = "/org/bytedeco/onnxruntime/linux-x86_64/libonnxruntime.so.1";
    static final String GPU_DIR = "/org/bytedeco/onnxruntime/linux-x86_64-gpu/";
    static final String GPU_CORE = GPU_DIR + "libonnxruntime.so.1";
    static final String JNI = "/ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so";
    /** Official loader: full path of the core library. */
    static final String CORE_PATH_PROPERTY = "onnxruntime.native.onnxruntime.path";
    /** Official loader: one folder holding the core, the JNI and provider libraries. */
    static final String NATIVE_DIR_PROPERTY = "onnxruntime.native.path";
    /** Libraries the bytedeco CUDA provider needs (its DT_NEEDED list). */
    static final List<String> CUDA_LIBRARIES = List.of("libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13",
            "libcufft.so.12", "libcudnn.so.9");

    private static NativeRuntime installed;
    /** Set once ORT's classes were initialised; a failure after that point cannot be retried in this JVM. */
    private static NativeRuntimeException permanentFailure;

    private final RuntimeConfig config;
    private final OrtEnvironment env;
    private final String coreLocation;

    private NativeRuntime(RuntimeConfig config, OrtEnvironment env, String coreLocation) {
        this.config = config;
        this.env = env;
        this.coreLocation = coreLocation;
    }

    /**
     * Installs the training-enabled runtime for this process, or returns the one already installed
     * with the same settings. Throws {@link DeviceUnavailableException} when CUDA is requested but
     * cannot be used, {@link NativeRuntimeException} when the training API is not available.
     */
    public static synchronized NativeRuntime install(RuntimeConfig config) {
        if (config.device() == Device.CUDA) {
            requireCudaPrerequisites();
        }
        if (installed != null) {
            if (installed.config.equals(config)) {
                return installed;
            }
            throw new IllegalStateException("ONNX Runtime is already installed in this JVM with " + installed.config
                    + "; the native core, device and thread pool are fixed per process, so " + config
                    + " needs a new JVM");
        }
        if (permanentFailure != null) {
            throw new NativeRuntimeException("ONNX Runtime could not be installed earlier in this JVM: "
                    + permanentFailure.getMessage(), permanentFailure);
        }
        Path core = config.device() == Device.CUDA ? prepareCudaDirectory() : prepareCpuCore();
        try {
            installed = create(config, core.toString());
            return installed;
        } catch (NativeRuntimeException e) {
            permanentFailure = e;
            throw e;
        }
    }

    /** The installed runtime, if {@link #install} has succeeded in this JVM. */
    public static synchronized Optional<NativeRuntime> current() {
        return Optional.ofNullable(installed);
    }

    public RuntimeConfig config() {
        return config;
    }

    public Device device() {
        return config.device();
    }

    /** The process-wide environment (global thread pool). */
    public OrtEnvironment environment() {
        return env;
    }

    public String version() {
        return env.getVersion();
    }

    /** Where the native core was loaded from. */
    public String coreLocation() {
        return coreLocation;
    }

    /**
     * Fresh session options for this runtime: the global thread pool (per-session threads disabled),
     * sequential execution, the configured optimisation level, and the CUDA provider on CUDA. The
     * caller closes them (they may be closed once the session exists).
     */
    public OrtSession.SessionOptions sessionOptions() {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.disablePerSessionThreads();
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(switch (config.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            if (config.device() == Device.CUDA) {
                appendCuda(so, config.cudaDeviceId());
            }
            return so;
        } catch (OrtException e) {
            so.close();
            throw new NativeRuntimeException("configuring ONNX Runtime session options", e);
        } catch (RuntimeException e) {
            so.close();
            throw e;
        }
    }

    /**
     * Appends CUDA: through {@link CudaProvider} (JDK 17's incubator API) on Java 17, through
     * {@link CudaProviderFfm} ({@code java.lang.foreign}) on Java 22 and later; Java 18–21 had neither
     * in a usable form. Says which JVM options are missing.
     */
    static void appendCuda(OrtSession.SessionOptions so, int deviceId) {
        int feature = Runtime.version().feature();
        if (feature >= 22) {
            CudaProviderFfm.append(so, deviceId);
            return;
        }
        if (feature != 17) {
            throw new DeviceUnavailableException("the CUDA device needs Java 17 or Java 22+: the provider is attached"
                    + " through the JDK's foreign-function API, which Java " + feature + " only has as an incubator or"
                    + " preview feature; this JVM is " + Runtime.version() + ". Use device CPU, or another JDK");
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
            throw new DeviceUnavailableException("the CUDA device needs the JVM options " + CudaProvider.JVM_FLAGS
                    + " (the ./idspam launcher adds them for --device cuda; add them to your own java command)");
        }
        try {
            CudaProvider.append(so, deviceId);
        } catch (IllegalCallerException e) {
            throw new DeviceUnavailableException("native access is not enabled for this code; run the JVM with "
                    + CudaProvider.JVM_FLAGS, e);
        }
    }

    // ------------------------------------------------------------------------------------ loading

    private static Path prepareCpuCore() {
        String preset = System.getProperty(CORE_PATH_PROPERTY);
        if (preset != null) {
            Path p = Path.of(preset);
            if (!Files.isRegularFile(p)) {
                throw new NativeRuntimeException("-D" + CORE_PATH_PROPERTY + "=" + preset + " does not name a file;"
                        + " point it at a training-enabled libonnxruntime.so.1 or remove it");
            }
            LOG.fine(() -> "using the ONNX Runtime core from -D" + CORE_PATH_PROPERTY + "=" + preset);
            return p;
        }
        if (NativeRuntime.class.getResource(CPU_CORE) == null) {
            throw new NativeRuntimeException("the training-enabled ONNX Runtime core " + CPU_CORE + " is not on the"
                    + " classpath; add org.bytedeco:onnxruntime:" + BYTEDECO_VERSION + " with classifier linux-x86_64"
                    + " (excluding all its transitive dependencies) to the runtime classpath");
        }
        Path dir = tempDirectory();
        Path core = extract(CPU_CORE, dir.resolve("libonnxruntime.so.1"));
        System.setProperty(CORE_PATH_PROPERTY, core.toString());
        return core;
    }

    /**
     * CUDA (untested here, no GPU; plan of ORT-TRAINING-ARTIFACTS.md §1.4): one folder with the GPU
     * core renamed to {@code libonnxruntime.so} (its SONAME stays {@code libonnxruntime.so.1}, which
     * the JNI's DT_NEEDED resolves to), the shared and CUDA provider libraries beside it (ORT loads
     * providers from the core's folder), and the Microsoft JNI, because the official loader takes
     * every library from {@code onnxruntime.native.path} once it is set.
     */
    private static Path prepareCudaDirectory() {
        Path dir = tempDirectory();
        Path core = extract(GPU_CORE, dir.resolve("libonnxruntime.so"));
        extract(GPU_DIR + "libonnxruntime_providers_shared.so", dir.resolve("libonnxruntime_providers_shared.so"));
        extract(GPU_DIR + "libonnxruntime_providers_cuda.so", dir.resolve("libonnxruntime_providers_cuda.so"));
        extract(JNI, dir.resolve("libonnxruntime4j_jni.so"));
        System.setProperty(NATIVE_DIR_PROPERTY, dir.toString());
        return core;
    }

    /** Fails before anything is loaded when the GPU core or the CUDA libraries are missing. */
    static void requireCudaPrerequisites() {
        if (NativeRuntime.class.getResource(GPU_CORE) == null) {
            throw new DeviceUnavailableException("CUDA was requested, but the GPU build of the ONNX Runtime native core"
                    + " is not on the classpath (resource " + GPU_CORE + " not found). To train on a GPU: add"
                    + " org.bytedeco:onnxruntime:" + BYTEDECO_VERSION + " with classifier linux-x86_64-gpu (excluding all"
                    + " its transitive dependencies) to the runtime dependencies, and make the CUDA 13 and cuDNN 9"
                    + " libraries " + CUDA_LIBRARIES + " resolvable (for example on LD_LIBRARY_PATH). Otherwise use"
                    + " device CPU.");
        }
        for (String r : List.of("libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so")) {
            if (NativeRuntime.class.getResource(GPU_DIR + r) == null) {
                throw new DeviceUnavailableException("CUDA was requested, but " + GPU_DIR + r + " is missing from the"
                        + " classpath; the linux-x86_64-gpu jar of org.bytedeco:onnxruntime:" + BYTEDECO_VERSION
                        + " should contain it (is the jar complete?)");
            }
        }
        List<String> missing = missingLibraries(CUDA_LIBRARIES);
        if (!missing.isEmpty()) {
            throw new DeviceUnavailableException("CUDA was requested, but these libraries of CUDA 13 / cuDNN 9 cannot"
                    + " be found: " + missing + " (searched LD_LIBRARY_PATH, /usr/local/cuda/lib64, the system library"
                    + " folders and the ldconfig cache). Install CUDA 13 and cuDNN 9 and add their lib folders to"
                    + " LD_LIBRARY_PATH, or use device CPU.");
        }
    }

    /** Libraries not found in LD_LIBRARY_PATH, the usual folders, or {@code ldconfig -p}. */
    static List<String> missingLibraries(List<String> sonames) {
        Set<Path> dirs = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : List.of("/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/usr/lib64", "/usr/lib")) {
            dirs.add(Path.of(d));
        }
        String cache = ldconfigCache();
        List<String> missing = new ArrayList<>();
        for (String so : sonames) {
            boolean found = cache.contains(so + " ") || dirs.stream().anyMatch(d -> Files.exists(d.resolve(so)));
            if (!found) {
                missing.add(so);
            }
        }
        return missing;
    }

    private static String ldconfigCache() {
        for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return new String(out, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                // try the next location
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "";
    }

    /**
     * The process's temporary folder ({@link TempFiles#processFolder}): deleted at exit, and removed by
     * a later process when this one was killed, so a crash leaves no extracted libraries behind.
     */
    private static Path tempDirectory() {
        try {
            return TempFiles.processFolder();
        } catch (IOException e) {
            throw new NativeRuntimeException("could not create a temporary folder for the ONNX Runtime native library", e);
        }
    }

    private static Path extract(String resource, Path target) {
        try (InputStream in = NativeRuntime.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new NativeRuntimeException("native library " + resource + " is not on the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new NativeRuntimeException("could not extract " + resource + " to " + target, e);
        }
    }

    /** First use of any {@code ai.onnxruntime} class: loads the natives through the official loader. */
    private static NativeRuntime create(RuntimeConfig config, String core) {
        OrtEnvironment env;
        try (OrtEnvironment.ThreadingOptions threads = new OrtEnvironment.ThreadingOptions()) {
            threads.setGlobalIntraOpNumThreads(config.intraOpThreads());
            threads.setGlobalInterOpNumThreads(1);
            threads.setGlobalSpinControl(config.allowSpinning());
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "idspam", threads);
        } catch (OrtException e) {
            throw new NativeRuntimeException("creating the ONNX Runtime environment", e);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("already exists")) {
                throw new NativeRuntimeException(initialisedTooEarly(core), e);
            }
            throw new NativeRuntimeException("loading the ONNX Runtime native libraries (core " + core + ") failed", e);
        } catch (LinkageError | RuntimeException e) {
            throw new NativeRuntimeException("loading the ONNX Runtime native libraries (core " + core + ") failed;"
                    + " the Microsoft jar com.microsoft.onnxruntime:onnxruntime and the bytedeco core must both be "
                    + ORT_VERSION, e);
        }
        if (!env.isTrainingEnabled()) {
            throw new NativeRuntimeException(trainingDisabledReason(env, core));
        }
        if (config.device() == Device.CUDA && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new DeviceUnavailableException("the ONNX Runtime core loaded from " + core + " has no CUDA execution"
                    + " provider (available: " + OrtEnvironment.getAvailableProviders() + ")");
        }
        if (!ORT_VERSION.equals(env.getVersion())) {
            LOG.warning("ONNX Runtime native core reports version " + env.getVersion() + ", expected " + ORT_VERSION);
        }
        LOG.fine(() -> "ONNX Runtime " + env.getVersion() + " with training, core " + core + ", " + config);
        return new NativeRuntime(config, env, core);
    }

    private static String trainingDisabledReason(OrtEnvironment env, String core) {
        String classes = String.valueOf(OrtEnvironment.class.getProtectionDomain().getCodeSource() == null ? "?"
                : OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation());
        if (classes.contains("bytedeco")) {
            return "ONNX Runtime's training API is not available: the ai.onnxruntime classes come from " + classes
                    + ", the bytedeco main jar, which has no training JNI. Remove org.bytedeco:onnxruntime (no classifier)"
                    + " from the classpath; only its linux-x86_64 classifier jar is needed";
        }
        return "ONNX Runtime " + env.getVersion() + " was loaded without its training API, so training would crash the"
                + " JVM. Either " + initialisedTooEarly(core) + ", or " + core + " is not a training-enabled core";
    }

    private static String initialisedTooEarly(String core) {
        return "ai.onnxruntime was initialised before NativeRuntime.install(), so the inference-only core of the"
                + " Microsoft jar (not " + core + ") is loaded and cannot be replaced in this JVM: call"
                + " NativeRuntime.install() before any OrtEnvironment, OnnxTensor or OrtSession use";
    }
}
