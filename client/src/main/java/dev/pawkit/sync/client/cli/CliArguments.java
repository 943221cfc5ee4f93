package dev.pawkit.sync.client.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line, parsed: {@code --name value} options (a flag in {@link #FLAGS} takes no value)
 * and positional words, the first of which is the command. Pure.
 */
record CliArguments(String command, List<String> positional, Map<String, String> options) {

    private static final Set<String> FLAGS = Set.of("pinned");

    static CliArguments parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    options.put(name.substring(0, equals), name.substring(equals + 1));
                } else if (FLAGS.contains(name) && (i + 1 >= args.length || args[i + 1].startsWith("--")
                        || !isBoolean(args[i + 1]))) {
                    options.put(name, "true");
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty()) {
            return new CliArguments("help", List.of(), options);
        }
        return new CliArguments(positional.get(0), List.copyOf(positional.subList(1, positional.size())), options);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** A comma-separated list option: {@code --tags a,b}. */
    Optional<List<String>> list(String name) {
        return option(name).map(value -> value.isBlank() ? List.of()
                : List.of(value.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    String argument(int index, String what) {
        if (index >= positional.size()) {
            throw new IllegalArgumentException(command + " needs " + what);
        }
        return positional.get(index);
    }

    private static boolean isBoolean(String value) {
        return value.equals("true") || value.equals("false");
    }
}
