package dev.idspam.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} options, {@code --flag} switches and
 * positional words; {@code --} ends the options, so every word after it is positional (a text that
 * starts with dashes). Every option must be read by the command; {@link #finish()} rejects the
 * rest, so a misspelt option is an error rather than silently ignored, and so is a word after a
 * flag ({@code --resume false}): flags take no value.
 */
final class Args {
    private final String command;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    /** For each positional word that directly follows a flag, that flag. */
    private final Map<Integer, String> afterFlag = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final Set<String> flags;
    private boolean positionalUsed;

    Args(String command, String[] argv, Set<String> flags) {
        this.command = command;
        this.flags = Set.copyOf(flags);
        String lastFlag = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                positional.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                    if (flags.contains(key)) {
                        throw new UsageException(command + ": --" + key + " is a flag and takes no value");
                    }
                } else if (flags.contains(key)) {
                    value = "true";
                } else {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        throw new UsageException(command + ": option --" + key + " needs a value"
                                + (i + 1 < argv.length ? " (found " + argv[i + 1] + "; write --" + key + "=VALUE for a value"
                                + " that starts with dashes)" : ""));
                    }
                    value = argv[++i];
                }
                if (key.isEmpty()) {
                    throw new UsageException(command + ": '" + a + "' is not an option");
                }
                if (options.put(key, value) != null) {
                    throw new UsageException(command + ": option --" + key + " given twice");
                }
                lastFlag = flags.contains(key) ? key : null;
            } else {
                if (lastFlag != null) {
                    afterFlag.put(positional.size(), lastFlag);
                }
                positional.add(a);
                lastFlag = null;
            }
        }
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

    String get(String key, String def) {
        used.add(key);
        return options.getOrDefault(key, def);
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
            String flag = afterFlag.get(0);
            if (flag != null) {
                throw new UsageException(command + ": --" + flag + " is a flag and takes no value (found '" + positional.get(0)
                        + "' after it)");
            }
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
