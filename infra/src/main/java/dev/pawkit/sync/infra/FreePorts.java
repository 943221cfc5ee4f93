package dev.pawkit.sync.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers we start and may stop and start again on the same port (brokers,
 * the stack, test proxies).
 *
 * <p>Why not {@code new ServerSocket(0)}: the kernel hands that port out of its ephemeral range,
 * the range it also draws the local ports of outgoing connections from. While such a server is
 * down, any outgoing connection (a Kafka client's, an HTTP client's) may take its port, and the
 * restart fails to bind (seen in CI: "cannot bind the proxy to port 35729"). Ports below that
 * range are only ever taken by someone who asks for them by number.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default lower bound, for systems that do not say. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int LOWEST = 10000;
    private static final int ATTEMPTS = 200;
    /** Handed out by this JVM already: not handed out twice, even once its server has stopped. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nobody listens on now, below the ephemeral range, not handed out before by this JVM. */
    public static int pick() {
        int high = ephemeralLow();
        int low = LOWEST;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + low + " and " + high + " after " + ATTEMPTS
                + " attempts");
    }

    /** Whether {@code port} can be bound now (on every address). */
    public static boolean bindable(int port) {
        // The wildcard address: taken on any address means taken for us.
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralLow() {
        // Read line-wise: /proc files report size 0, and Files.readString trusts the size.
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE, StandardCharsets.US_ASCII)) {
            int low = Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
            return low > LOWEST + 1000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
