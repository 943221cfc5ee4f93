package dev.pawkit.sync.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What lies on disk, byte by byte: the check that content never reached a file in clear (topic
 * segments, state stores, logs), whatever format the file has.
 */
public final class RawFiles {

    private RawFiles() {
    }

    /** Every regular file under the given directories. */
    public static List<Path> under(Path... dirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        return files;
    }

    /** The files whose raw bytes contain {@code text} encoded as UTF-8. */
    public static List<Path> containing(List<Path> files, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        for (Path file : files) {
            if (Files.exists(file) && indexOf(Files.readAllBytes(file), needle) >= 0) {
                found.add(file);
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
