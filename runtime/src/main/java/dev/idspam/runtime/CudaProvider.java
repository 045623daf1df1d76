package dev.idspam.runtime;

import ai.onnxruntime.OrtSession;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Appends ONNX Runtime's CUDA execution provider to a session's options by calling the loaded native
 * core's exported {@code OrtSessionOptionsAppendExecutionProvider_CUDA(options, device)} directly.
 *
 * <p>Why not the Java API: the Microsoft jar's JNI is its CPU build, where {@code addCUDA} is compiled
 * to "not compiled with CUDA support"; and the plugin route ({@code registerExecutionProviderLibrary}
 * plus {@code addExecutionProvider(List<OrtEpDevice>, …)}) works for inference sessions only, because
 * a training session creates its providers without session options, which plugin factories refuse.
 * The C function above is what the GPU JNI itself would call; it loads
 * {@code libonnxruntime_providers_cuda.so} from the core's folder.
 *
 * <p>Uses the JDK 17 foreign-function API, so the JVM needs {@link #JVM_FLAGS}; the {@code ./idspam}
 * launcher adds them when {@code --device cuda} is given. Only this class touches that module, so
 * CPU runs need no flags. Java 22 and later use {@link CudaProviderFfm} instead.
 */
final class CudaProvider {
    /** JVM options this class needs. */
    static final String JVM_FLAGS = "--add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED";
    static final String APPEND_SYMBOL = "OrtSessionOptionsAppendExecutionProvider_CUDA";
    /** Index of {@code GetErrorMessage} in the {@code OrtApi} function table (after CreateStatus, GetErrorCode). */
    private static final int GET_ERROR_MESSAGE_SLOT = 2;

    private CudaProvider() {
    }

    /**
     * Appends CUDA device {@code deviceId} to {@code options}.
     *
     * @throws DeviceUnavailableException when the core refuses (message from ONNX Runtime), or the
     *                                    symbol or the JVM flags are missing
     */
    static void append(OrtSession.SessionOptions options, int deviceId) {
        long handle = longField(OrtSession.SessionOptions.class, options, "nativeHandle");
        MemoryAddress status;
        try {
            MemoryAddress symbol = SymbolLookup.loaderLookup().lookup(APPEND_SYMBOL)
                    .orElseThrow(() -> new DeviceUnavailableException("the loaded ONNX Runtime core does not export "
                            + APPEND_SYMBOL + "; load the GPU core (linux-x86_64-gpu) for CUDA"));
            MethodHandle append = CLinker.getInstance().downcallHandle(symbol,
                    MethodType.methodType(MemoryAddress.class, MemoryAddress.class, int.class),
                    FunctionDescriptor.of(CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_INT));
            status = (MemoryAddress) append.invokeExact(MemoryAddress.ofLong(handle), deviceId);
        } catch (DeviceUnavailableException e) {
            throw e;
        } catch (Throwable e) {
            throw new DeviceUnavailableException("calling " + APPEND_SYMBOL + " failed: " + e, e);
        }
        if (status.toRawLongValue() != 0L) {
            throw new DeviceUnavailableException("ONNX Runtime refused the CUDA execution provider for device " + deviceId
                    + ": " + errorMessage(status) + ". Check that the device exists (nvidia-smi) and that the CUDA 13 and"
                    + " cuDNN 9 libraries " + NativeRuntime.CUDA_LIBRARIES + " are on LD_LIBRARY_PATH");
        }
    }

    /** {@code OrtApi::GetErrorMessage(status)}, read through the API table the Java classes already hold. */
    private static String errorMessage(MemoryAddress status) {
        try {
            Class<?> ort = Class.forName("ai.onnxruntime.OnnxRuntime");
            long api = longField(ort, null, "ortApiHandle");
            MemorySegment table = MemoryAddress.ofLong(api).asSegment(8L * (GET_ERROR_MESSAGE_SLOT + 1),
                    ResourceScope.globalScope());
            MemoryAddress fn = MemoryAccess.getAddressAtOffset(table, 8L * GET_ERROR_MESSAGE_SLOT);
            MethodHandle getMessage = CLinker.getInstance().downcallHandle(fn,
                    MethodType.methodType(MemoryAddress.class, MemoryAddress.class),
                    FunctionDescriptor.of(CLinker.C_POINTER, CLinker.C_POINTER));
            MemoryAddress text = (MemoryAddress) getMessage.invokeExact(status);
            return CLinker.toJavaString(text);
        } catch (Throwable e) {
            return "(error message unavailable: " + e + ")";
        }
    }

    private static long longField(Class<?> owner, Object target, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.getLong(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeviceUnavailableException("cannot read " + owner.getName() + "." + name + " of ONNX Runtime "
                    + NativeRuntime.ORT_VERSION + " (" + e + "); the CUDA path needs that exact Java API version", e);
        }
    }
}
