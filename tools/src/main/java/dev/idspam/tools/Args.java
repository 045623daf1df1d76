package dev.idspam.tools;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command as {@link Cli} parsed them: the options given (as text), the
 * declared defaults, and positional words. Turns values into numbers and paths with messages that
 * name the option. Every option given must be read by the command; {@link #finish()} rejects the
 * rest, so an option the command declares but does not read is refused rather than ignored.
 */
final class Args {
    private final String command;
    private final Map<String, String> options;
    private final Map<String, String> defaults;
    private final List<String> positional;
    private final Set<String> used = new HashSet<>();
    private final Set<String> flags;
    private boolean positionalUsed;

    Args(String command, Map<String, String> given, List<String> positional, Set<String> flags, Map<String, String> defaults) {
        this.command = command;
        this.options = new LinkedHashMap<>(given);
        this.positional = List.copyOf(positional);
        this.flags = Set.copyOf(flags);
        this.defaults = Map.copyOf(defaults);
    }

    String command() {
        return command;
    }

    String required(String key) {
        used.add(key);
        String v = options.get(key);
        if (v == null) {
            throw new UsageException(command + ": missing required option --" + key);
        }
        return v;
    }

    /** The value given, else the declared default, else {@code def} (for defaults that are computed). */
    String get(String key, String def) {
        used.add(key);
        String v = options.get(key);
        return v != null ? v : defaults.getOrDefault(key, def);
    }

    /** The value given, else the declared default (the option must declare one). */
    String get(String key) {
        String v = get(key, null);
        if (v == null) {
            throw new IllegalStateException("--" + key + " of " + command + " has no declared default");
        }
        return v;
    }

    int getInt(String key) {
        return parse(key, get(key), Integer::parseInt);
    }

    long getLong(String key) {
        return parse(key, get(key), Long::parseLong);
    }

    double getDouble(String key) {
        get(key);
        return getDouble(key, Double.NaN);
    }

    boolean has(String key) {
        used.add(key);
        return options.containsKey(key);
    }

    boolean flag(String key) {
        if (!flags.contains(key)) {
            throw new IllegalStateException("--" + key + " is read as a flag but the " + command + " command does not declare it");
        }
        used.add(key);
        return options.containsKey(key);
    }

    int getInt(String key, int def) {
        String v = get(key, null);
        return v == null ? def : parse(key, v, Integer::parseInt);
    }

    long getLong(String key, long def) {
        String v = get(key, null);
        return v == null ? def : parse(key, v, Long::parseLong);
    }

    /** A finite number (NaN and infinities are refused here, so no range check downstream has to). */
    double getDouble(String key, double def) {
        String v = get(key, null);
        if (v == null) {
            return def;
        }
        double d = parse(key, v, Double::parseDouble);
        if (!Double.isFinite(d)) {
            throw new UsageException(command + ": option --" + key + " expects a finite number, got '" + v + "'");
        }
        return d;
    }

    Path path(String key) {
        return Path.of(required(key));
    }

    /** The positional words; a command that reads them accepts them, others refuse them in {@link #finish()}. */
    List<String> positional() {
        positionalUsed = true;
        return List.copyOf(positional);
    }

    /** Rejects options the command did not read, and positional words when it reads none. */
    void finish() {
        for (String k : options.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException(command + ": unknown option --" + k);
            }
        }
        if (!positionalUsed && !positional.isEmpty()) {
            throw new UsageException(command + ": unexpected argument '" + positional.get(0) + "'");
        }
    }

    private <T> T parse(String key, String v, java.util.function.Function<String, T> f) {
        try {
            return f.apply(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": option --" + key + " expects a number, got '" + v + "'");
        }
    }

    /** A user error: printed without a stack trace, exit status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
