package dev.pawkit.sync.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a restart of the local stack spent its time, read from the stack's log
 * ({@code <data>/logs/pawkit.log}) from the offset it had before the restart: the lines of the
 * broker's log loading, the Streams state restoration (records per changelog), RocksDB and Spring.
 */
final class RestartLog {

    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+) to store (\\S+) with a total number of (\\d+) records");
    private static final List<Pattern> MILESTONES = List.of(
            // The broker: its log loading (a recovery of every log without a clean shutdown file).
            Pattern.compile("since no clean shutdown file was found|since clean shutdown file was found"),
            Pattern.compile("Loaded \\d+ logs in"),
            Pattern.compile("local Kafka broker up"),
            Pattern.compile("Started PawkitApplication"),
            Pattern.compile("did not close cleanly last time"),
            Pattern.compile("State transition from \\S+ to (REBALANCING|RUNNING)"),
            Pattern.compile("Successfully joined group|Successfully synced group"),
            Pattern.compile("ProducerId set to"),
            Pattern.compile("Restoration took"),
            Pattern.compile("Pawkit local stack ready"));
    private static final Pattern WIPED = Pattern.compile("did not find checkpoint offsets");

    private final List<String> milestones;
    private final Map<String, Long> restoredPerStore;
    private final int wipedStores;

    private RestartLog(List<String> milestones, Map<String, Long> restoredPerStore, int wipedStores) {
        this.milestones = milestones;
        this.restoredPerStore = restoredPerStore;
        this.wipedStores = wipedStores;
    }

    /** The log's lines from {@code offset} on (from its start if it rolled over since). */
    static RestartLog read(Path log, long offset) throws IOException {
        List<String> milestones = new ArrayList<>();
        Map<String, Long> restored = new TreeMap<>();
        int wiped = 0;
        for (String line : tail(log, offset)) {
            Matcher matcher = RESTORED.matcher(line);
            if (matcher.find()) {
                // Per store of each application: the changelog's name less its partition.
                restored.merge(matcher.group(1).replaceAll("-changelog-\\d+$", ""), Long.parseLong(matcher.group(3)),
                        Long::sum);
            } else if (WIPED.matcher(line).find()) {
                wiped++;
            } else if (MILESTONES.stream().anyMatch(milestone -> milestone.matcher(line).find())) {
                milestones.add(line);
            }
        }
        return new RestartLog(milestones, restored, wiped);
    }

    long restoredRecords() {
        return restoredPerStore.values().stream().mapToLong(Long::longValue).sum();
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        text.append("  restored records: ").append(restoredRecords()).append(", stores wiped for want of a checkpoint: ")
                .append(wipedStores).append('\n');
        restoredPerStore.forEach((store, records) -> text.append("    ").append(store).append(": ").append(records)
                .append('\n'));
        milestones.forEach(line -> text.append("  | ").append(shorten(line)).append('\n'));
        return text.toString();
    }

    /** The time and the message: Spring Boot's line less its level, pid, thread and logger. */
    private static String shorten(String line) {
        int message = line.indexOf(" : ");
        String text = line.length() >= 23 && message > 0 ? line.substring(11, 23) + " " + line.substring(message + 3) : line;
        return text.length() > 200 ? text.substring(0, 200) + " ..." : text;
    }

    private static List<String> tail(Path log, long offset) throws IOException {
        long size = Files.size(log);
        long from = offset <= size ? offset : 0;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(from);
            byte[] bytes = new byte[(int) (size - from)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }
}
