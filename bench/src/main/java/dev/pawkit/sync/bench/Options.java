package dev.pawkit.sync.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The benchmarks' command lines: {@code --name value} pairs, and bare {@code --flag}s as "true". */
public final class Options {

    private Options() {
    }

    public static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name [value]: " + Arrays.toString(args));
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }
}
