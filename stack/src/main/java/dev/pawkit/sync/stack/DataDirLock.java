package dev.pawkit.sync.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One local stack per data directory. Two processes on one broker log and one set of state stores
 * corrupt both (a second controller on the same metadata log fenced the first, which then never
 * finished its shutdown), so the stack takes an exclusive OS lock on {@code <data>/.lock} before it
 * touches anything and holds it until its process ends; the OS releases it then, after a clean
 * stop and after {@code kill -9} alike. A stack started while another still holds it (Ctrl-C, then
 * the run command again at once) says so and waits for it to stop, then starts.
 */
final class DataDirLock {

    /**
     * Kept reachable for the life of the process: the stack's main thread returns once it is up,
     * and a lock whose channel is garbage-collected is closed, and so released, with it.
     */
    private static volatile FileLock held;

    private DataDirLock() {
    }

    /** Blocks until this process holds the directory's lock; never released before the JVM exits. */
    static void acquire(Path dataDir, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            out.printf("another Pawkit stack (pid %s) is using %s, perhaps still stopping: waiting for it to stop ...%n",
                    holder(file), dataDir);
            while ((lock = channel.tryLock()) == null) {
                // Polled rather than FileChannel.lock(), which would ignore an interrupt (Ctrl-C of this one).
                Thread.sleep(200);
            }
            out.println("it stopped; starting");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        held = lock;
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
