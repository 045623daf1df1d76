package dev.idspam.graphs.methods;

import dev.idspam.graphs.methods.dept.DeptProvider;
import dev.idspam.graphs.methods.full.FullFineTuningProvider;
import dev.idspam.graphs.methods.idspam.IdSpamProvider;
import dev.idspam.graphs.methods.lora.LoraProvider;
import dev.idspam.graphs.methods.lpt.LptProvider;
import dev.idspam.graphs.methods.probe.LinearProbeProvider;
import dev.idspam.graphs.methods.prompttuning.PromptTuningProvider;
import dev.idspam.graphs.methods.ptuningv2.PTuningV2Provider;
import dev.idspam.graphs.methods.smop.SmopProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The methods the project has: one line per method, in the order help texts list them. Everything
 * that offers a choice of method (command line, experiment specs, reports, parameter tables,
 * benchmarks) reads it from here. To add a method, write its package with a {@link MethodProvider}
 * (see {@code package-info.java}), add its line below and a row to the contract test (pipeline module,
 * {@code MethodContractTest}), whose meta-test fails without it.
 *
 * <p>{@link #register} adds a method at run time (a test's throw-away method, an extension); it is
 * visible to every reader until its registration is closed.
 */
public final class MethodRegistry {
    private static final List<MethodProvider<?>> PROVIDERS = new CopyOnWriteArrayList<>();

    static {
        add(IdSpamProvider.STANDARD);
        add(IdSpamProvider.MEAN_POOL);
        add(new PromptTuningProvider());
        add(new LptProvider());
        add(new PTuningV2Provider());
        add(new SmopProvider());
        add(new DeptProvider());
        add(new LoraProvider());
        add(new FullFineTuningProvider());
        add(new LinearProbeProvider());
    }

    /** Undoes one {@link #register}. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private MethodRegistry() {
    }

    /** Adds a method; its id must be new. Closing the result removes it again. */
    public static Registration register(MethodProvider<?> p) {
        add(p);
        return () -> PROVIDERS.remove(p);
    }

    private static synchronized void add(MethodProvider<?> p) {
        if (!p.id().matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("method id '" + p.id() + "' must be lower-case words joined by dashes");
        }
        if (PROVIDERS.stream().anyMatch(q -> q.id().equals(p.id()))) {
            throw new IllegalArgumentException("method id '" + p.id() + "' is registered twice");
        }
        List<String> names = new ArrayList<>();
        for (MethodOption o : p.options()) {
            if (names.contains(o.name())) {
                throw new IllegalArgumentException("method " + p.id() + " declares --" + o.name() + " twice");
            }
            names.add(o.name());
        }
        PROVIDERS.add(p);
    }

    /** Every provider, in registration order. */
    public static List<MethodProvider<?>> providers() {
        return List.copyOf(PROVIDERS);
    }

    /** Every method id, in registration order. */
    public static List<String> ids() {
        return PROVIDERS.stream().map(MethodProvider::id).toList();
    }

    /** Whether {@code id} names a registered method. */
    public static boolean contains(String id) {
        return PROVIDERS.stream().anyMatch(p -> p.id().equals(id));
    }

    /** The provider of {@code id}. */
    public static MethodProvider<?> get(String id) {
        for (MethodProvider<?> p : PROVIDERS) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; choose one of " + ids());
    }

    /** The provider with {@code role} {@link MethodProvider.Role#REFERENCE}, the one reports compare others with. */
    public static MethodProvider<?> reference() {
        return PROVIDERS.stream().filter(p -> p.role() == MethodProvider.Role.REFERENCE).findFirst()
                .orElseThrow(() -> new IllegalStateException("no reference method is registered"));
    }

    /**
     * Every option any method declares, once each by name, in the order methods first declare them
     * (the command line offers these).
     */
    public static List<MethodOption> allOptions() {
        List<MethodOption> out = new ArrayList<>();
        for (MethodProvider<?> p : PROVIDERS) {
            for (MethodOption o : p.options()) {
                if (out.stream().noneMatch(q -> q.name().equals(o.name()))) {
                    out.add(o);
                }
            }
        }
        return out;
    }
}
