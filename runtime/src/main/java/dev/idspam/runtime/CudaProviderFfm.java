package dev.idspam.runtime;

import ai.onnxruntime.OrtSession;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * {@link CudaProvider}'s job on Java 22 and later, where the foreign-function API is final
 * ({@code java.lang.foreign}). The project compiles for Java 17, which lacks that package, so the
 * calls go through reflection. Same native call, same error handling: the core's exported
 * {@code OrtSessionOptionsAppendExecutionProvider_CUDA(options, device)}, and on failure ORT's own
 * message read through {@code OrtApi::GetErrorMessage}.
 *
 * <p>Run the JVM with {@code --enable-native-access=ALL-UNNAMED}; without it, current JDKs warn and a
 * future one will refuse.
 */
final class CudaProviderFfm {
    private static final int GET_ERROR_MESSAGE_SLOT = 2;

    private CudaProviderFfm() {
    }

    static void append(OrtSession.SessionOptions options, int deviceId) {
        long handle = longField(OrtSession.SessionOptions.class, options, "nativeHandle");
        long status;
        try {
            Ffm f = new Ffm();
            Object symbol = f.lookup(CudaProvider.APPEND_SYMBOL)
                    .orElseThrow(() -> new DeviceUnavailableException("the loaded ONNX Runtime core does not export "
                            + CudaProvider.APPEND_SYMBOL + "; load the GPU core (linux-x86_64-gpu) for CUDA"));
            MethodHandle append = f.downcall(symbol, f.address, f.address, f.javaInt);
            status = f.addressOf(append.invokeWithArguments(f.ofAddress(handle), deviceId));
            if (status != 0L) {
                throw new DeviceUnavailableException("ONNX Runtime refused the CUDA execution provider for device "
                        + deviceId + ": " + errorMessage(f, status) + ". Check that the device exists (nvidia-smi) and"
                        + " that the CUDA 13 and cuDNN 9 libraries " + NativeRuntime.CUDA_LIBRARIES
                        + " are on LD_LIBRARY_PATH");
            }
        } catch (DeviceUnavailableException e) {
            throw e;
        } catch (Throwable e) {
            throw new DeviceUnavailableException("calling " + CudaProvider.APPEND_SYMBOL + " through java.lang.foreign"
                    + " failed: " + e, e);
        }
    }

    private static String errorMessage(Ffm f, long status) {
        try {
            long api = longField(Class.forName("ai.onnxruntime.OnnxRuntime"), null, "ortApiHandle");
            Object table = f.reinterpret(f.ofAddress(api), 8L * (GET_ERROR_MESSAGE_SLOT + 1));
            Object fn = f.getAddress(table, 8L * GET_ERROR_MESSAGE_SLOT);
            MethodHandle getMessage = f.downcall(fn, f.address, f.address);
            Object text = getMessage.invokeWithArguments(f.ofAddress(status));
            return f.readString(f.reinterpret(text, Long.MAX_VALUE));
        } catch (Throwable e) {
            return "(error message unavailable: " + e + ")";
        }
    }

    private static long longField(Class<?> owner, Object target, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.getLong(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeviceUnavailableException("cannot read " + owner.getName() + "." + name + " of ONNX Runtime "
                    + NativeRuntime.ORT_VERSION + " (" + e + "); the CUDA path needs that exact Java API version", e);
        }
    }

    /** The few {@code java.lang.foreign} calls used above, by reflection. */
    private static final class Ffm {
        final Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        final Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
        final Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        final Class<?> addressLayout = Class.forName("java.lang.foreign.AddressLayout");
        final Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        final Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        final Class<?> linkerOption = Class.forName("java.lang.foreign.Linker$Option");
        final Class<?> symbolLookup = Class.forName("java.lang.foreign.SymbolLookup");
        final Object address = valueLayout.getField("ADDRESS").get(null);
        final Object javaInt = valueLayout.getField("JAVA_INT").get(null);
        final Object linker = linkerClass.getMethod("nativeLinker").invoke(null);

        Ffm() throws ReflectiveOperationException {
        }

        Optional<?> lookup(String name) throws ReflectiveOperationException {
            // loaderLookup is caller-sensitive: through reflection the caller is this class, whose
            // loader is the one that loaded the ONNX Runtime core (the application class loader).
            Object lookup = symbolLookup.getMethod("loaderLookup").invoke(null);
            return (Optional<?>) symbolLookup.getMethod("find", String.class).invoke(lookup, name);
        }

        MethodHandle downcall(Object symbol, Object result, Object... arguments) throws ReflectiveOperationException {
            Object args = Array.newInstance(layout, arguments.length);
            for (int i = 0; i < arguments.length; i++) {
                Array.set(args, i, arguments[i]);
            }
            Object fd = descriptor.getMethod("of", layout, args.getClass()).invoke(null, result, args);
            Method m = linkerClass.getMethod("downcallHandle", segment, descriptor, linkerOption.arrayType());
            return (MethodHandle) m.invoke(linker, symbol, fd, Array.newInstance(linkerOption, 0));
        }

        Object ofAddress(long value) throws ReflectiveOperationException {
            return segment.getMethod("ofAddress", long.class).invoke(null, value);
        }

        long addressOf(Object memorySegment) throws ReflectiveOperationException {
            return (long) segment.getMethod("address").invoke(memorySegment);
        }

        Object reinterpret(Object memorySegment, long size) throws ReflectiveOperationException {
            return segment.getMethod("reinterpret", long.class).invoke(memorySegment, size);
        }

        Object getAddress(Object memorySegment, long offset) throws ReflectiveOperationException {
            return segment.getMethod("get", addressLayout, long.class).invoke(memorySegment, address, offset);
        }

        String readString(Object memorySegment) throws ReflectiveOperationException {
            return (String) segment.getMethod("getString", long.class).invoke(memorySegment, 0L);
        }
    }
}
