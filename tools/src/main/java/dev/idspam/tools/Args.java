package dev.idspam.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} options, {@code --flag} switches and
 * positional words. Every option must be read by the command; {@link #finish()} rejects the rest,
 * so a misspelt option is an error rather than silently ignored.
 */
final class Args {
    private final String command;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    Args(String command, String[] argv, Set<String> flags) {
        this.command = command;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (flags.contains(key)) {
                    value = "true";
                } else {
                    if (i + 1 >= argv.length) {
                        throw new UsageException(command + ": option --" + key + " needs a value");
                    }
                    value = argv[++i];
                }
                if (options.put(key, value) != null) {
                    throw new UsageException(command + ": option --" + key + " given twice");
                }
            } else {
                positional.add(a);
            }
        }
    }

    String required(String key) {
        used.add(key);
        String v = options.get(key);
        if (v == null) {
            throw new UsageException(command + ": missing required option --" + key);
        }
        return v;
    }

    String get(String key, String def) {
        used.add(key);
        return options.getOrDefault(key, def);
    }

    boolean has(String key) {
        used.add(key);
        return options.containsKey(key);
    }

    boolean flag(String key) {
        used.add(key);
        return Boolean.parseBoolean(options.getOrDefault(key, "false"));
    }

    int getInt(String key, int def) {
        String v = get(key, null);
        return v == null ? def : parse(key, v, Integer::parseInt);
    }

    long getLong(String key, long def) {
        String v = get(key, null);
        return v == null ? def : parse(key, v, Long::parseLong);
    }

    double getDouble(String key, double def) {
        String v = get(key, null);
        return v == null ? def : parse(key, v, Double::parseDouble);
    }

    Path path(String key) {
        return Path.of(required(key));
    }

    List<String> positional() {
        return List.copyOf(positional);
    }

    /** Rejects options the command did not read. */
    void finish() {
        for (String k : options.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException(command + ": unknown option --" + k);
            }
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
