package dev.pawkit.sync.bench.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 between the application and the broker, which can delay bytes, reset
 * connections, or swallow everything (a network partition that leaves connections open), then
 * heal. Hand-written, and why: a few dozen lines of sockets, where a fault-injection tool (toxiproxy)
 * would be a server to download and run, and a JDK-only test needs none.
 */
final class FaultyProxy implements AutoCloseable {

    enum Mode {
        /** Bytes pass as they come. */
        PASS,
        /** Every chunk of bytes waits {@link #DELAY} before it is passed on. */
        DELAY,
        /** Every connection, open or new, is reset (RST) at once. */
        RESET,
        /** Bytes are read and dropped: connections stay open, nothing arrives (a partition). */
        DROP
    }

    static final Duration DELAY = Duration.ofMillis(200);
    private static final int BUFFER = 64 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;

    /** Listens on {@code port}, forwards to 127.0.0.1:{@code targetPort}. */
    FaultyProxy(int port, int targetPort) throws IOException {
        this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        daemon("proxy-accept-" + port, this::accept);
    }

    /** From now on, behave as {@code mode}; RESET also resets every open connection. */
    void mode(Mode mode) {
        this.mode = mode;
        if (mode == Mode.RESET) {
            resetAll();
        }
    }

    /** Resets (RST) every open connection: what heals a partition fastest for its clients. */
    void resetAll() {
        for (Socket socket : open) {
            reset(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        resetAll();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.RESET) {
                    reset(client);
                    continue;
                }
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(broker);
                daemon("proxy-up", () -> pump(client, broker));
                daemon("proxy-down", () -> pump(broker, client));
            } catch (IOException e) {
                // The broker is down or the proxy closed: the client's connection ends, it retries.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                Mode now = mode;
                if (now == Mode.DROP) {
                    continue;
                }
                if (now == Mode.DELAY) {
                    Thread.sleep(DELAY.toMillis());
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            // One side closed or was reset: so is the other, below.
        } finally {
            reset(from);
            reset(to);
        }
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (SocketException e) {
            // Closed already.
        } catch (IOException e) {
            // Nothing more to do for a socket we are dropping.
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
