package dev.pawkit.sync.client;

import dev.pawkit.sync.infra.FreePorts;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback HTTP/1.1 proxy between the client and the real server that injects faults: down
 * (connections refused), 500 before or after the server applied the request, the answer dropped
 * after the server applied it, 429 with Retry-After, a request duplicated, latency. Records every
 * exchange (method, path, idempotency key, body, status the client got, whether the server replayed).
 */
final class FaultProxy implements AutoCloseable {

    enum Fault {
        /** Forward and answer normally. */
        PASS,
        /** 500 without forwarding: the server never sees it. */
        ERROR_500_BEFORE,
        /** Forward (the server applies it), then answer 500 instead of the server's answer. */
        ERROR_500_AFTER,
        /** Forward (the server applies it), then close the connection without answering. */
        DROP_AFTER,
        /** 429 with {@code Retry-After: 1} without forwarding. */
        TOO_MANY_REQUESTS,
        /** 409 request-in-progress without forwarding. */
        IN_PROGRESS,
        /** Forward twice at once (two identical requests racing), answer the second's answer. */
        DUPLICATE,
        /** Forward with {@code Prefer: respond-async}: the server answers 202 and the client must poll. */
        RESPOND_ASYNC,
        /** 404 without forwarding, as a server without the endpoint answers. */
        NOT_FOUND
    }

    /**
     * One request as the proxy saw it and what the client was given; recorded once the server
     * answered (or the fault decided).
     *
     * @param delayed it was held by a {@link #delay} rule before being forwarded
     */
    record Exchange(String method, String path, String idempotencyKey, String body, Fault fault, int status,
            boolean replayed, boolean delayed) {
    }

    private record Rule(Predicate<Exchange> matches, Fault fault, int[] remaining, Duration delay) {
    }

    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "http2-settings");

    private final URI target;
    private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket listener;
    private volatile Duration latency = Duration.ZERO;

    FaultProxy(URI target) {
        this.target = target;
        // Below the ephemeral range, so no outgoing connection takes it while the proxy is down.
        this.port = FreePorts.pick();
        this.listener = bind(port);
        accept(listener);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The next {@code times} requests that match get {@code fault}. */
    FaultProxy fail(Predicate<Exchange> matches, Fault fault, int times) {
        rules.add(new Rule(matches, fault, new int[] {times}, Duration.ZERO));
        return this;
    }

    /** Every request that matches gets {@code fault}. */
    FaultProxy failAlways(Predicate<Exchange> matches, Fault fault) {
        return fail(matches, fault, Integer.MAX_VALUE);
    }

    /** The next {@code times} matching requests are held for {@code delay} before being forwarded. */
    FaultProxy delay(Predicate<Exchange> matches, Duration delay, int times) {
        rules.add(new Rule(matches, Fault.PASS, new int[] {times}, delay));
        return this;
    }

    /** Every request is held this long before it is forwarded. */
    FaultProxy latency(Duration value) {
        latency = value;
        return this;
    }

    void clearFaults() {
        rules.clear();
        latency = Duration.ZERO;
    }

    /** The server goes away: the port refuses connections and open connections are cut. */
    synchronized void down() {
        closeQuietly(listener);
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }

    /** The server is back, on the same port. */
    synchronized void up() {
        listener = bind(port);
        accept(listener);
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    List<Exchange> writes() {
        return exchanges.stream().filter(e -> !e.method().equals("GET")).toList();
    }

    static Predicate<Exchange> method(String method) {
        return e -> e.method().equals(method);
    }

    /** Requests whose path (without the query) is {@code path}. */
    static Predicate<Exchange> path(String path) {
        return e -> e.path().equals(path) || e.path().startsWith(path + "?");
    }

    static Predicate<Exchange> anyWrite() {
        return e -> !e.method().equals("GET");
    }

    /** The first {@code sends} writes of each idempotency key (so a fault never exhausts one operation's retries). */
    static Predicate<Exchange> firstSendsOfEachKey(int sends) {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        return e -> !e.method().equals("GET") && e.idempotencyKey() != null
                && seen.merge(e.idempotencyKey(), 1, Integer::sum) <= sends;
    }

    /** How many writes held by a {@link #delay} rule have reached the server and been recorded. */
    long delayedWritesDone() {
        return exchanges.stream().filter(Exchange::delayed).count();
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the proxy to port " + port, e);
        }
    }

    private void accept(ServerSocket server) {
        connections.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    connections.execute(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** One keep-alive connection: request after request until the client or a fault closes it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                if (!handle(request, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or a fault closed the connection.
        } finally {
            open.remove(socket);
        }
    }

    /** Answers one request; false when the connection must be closed. */
    private boolean handle(Request request, OutputStream out) throws IOException, InterruptedException {
        Exchange seen = new Exchange(request.method, request.path, request.header("idempotency-key"),
                request.bodyText(), Fault.PASS, 0, false, false);
        Fault fault = Fault.PASS;
        Duration delay = latency;
        boolean delayed = false;
        for (Rule rule : rules) {
            synchronized (rule) {
                if (rule.remaining[0] > 0 && rule.matches.test(seen)) {
                    rule.remaining[0]--;
                    fault = rule.fault;
                    delay = delay.plus(rule.delay);
                    delayed = !rule.delay.isZero();
                    break;
                }
            }
        }
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        seen = new Exchange(seen.method(), seen.path(), seen.idempotencyKey(), seen.body(), fault, 0, false, delayed);
        switch (fault) {
            case ERROR_500_BEFORE -> {
                record(seen, fault, 500, false);
                write(out, 500, Map.of("Content-Type", List.of("application/problem+json")), problem(500, "injected"));
                return true;
            }
            case TOO_MANY_REQUESTS -> {
                record(seen, fault, 429, false);
                write(out, 429, Map.of("Retry-After", List.of("1"), "Content-Type", List.of("application/problem+json")),
                        problem(429, "too-many-requests"));
                return true;
            }
            case NOT_FOUND -> {
                record(seen, fault, 404, false);
                write(out, 404, Map.of("Content-Type", List.of("application/problem+json")), problem(404, "not-found"));
                return true;
            }
            case IN_PROGRESS -> {
                record(seen, fault, 409, false);
                write(out, 409, Map.of("Content-Type", List.of("application/problem+json")),
                        problem(409, "request-in-progress"));
                return true;
            }
            default -> {
                // Forwarded below.
            }
        }
        if (request.header("accept") != null && request.header("accept").contains("text/event-stream")) {
            return stream(request, out, seen);
        }
        HttpResponse<byte[]> response;
        if (fault == Fault.DUPLICATE) {
            CompletableFuture<HttpResponse<byte[]>> first = forwardAsync(request, false);
            CompletableFuture<HttpResponse<byte[]>> second = forwardAsync(request, false);
            first.join();
            response = second.join();
        } else {
            response = forwardAsync(request, fault == Fault.RESPOND_ASYNC).join();
        }
        boolean replayed = response.headers().firstValue("Idempotent-Replayed").isPresent();
        switch (fault) {
            case ERROR_500_AFTER -> {
                record(seen, fault, 500, replayed);
                write(out, 500, Map.of("Content-Type", List.of("application/problem+json")), problem(500, "injected"));
                return true;
            }
            case DROP_AFTER -> {
                record(seen, fault, -1, replayed);
                return false;
            }
            default -> {
                record(seen, fault, response.statusCode(), replayed);
                write(out, response.statusCode(), response.headers().map(), response.body());
                return true;
            }
        }
    }

    /**
     * A server-sent events stream is passed through as it comes (chunked), not buffered; it ends
     * when the server ends it or the client goes (noticed at the next bytes, a heartbeat at most).
     * Recorded when it opens. The connection is closed after it.
     */
    private boolean stream(Request request, OutputStream out, Exchange seen) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = forwarder.send(forward(request, false),
                HttpResponse.BodyHandlers.ofInputStream());
        record(seen, Fault.PASS, response.statusCode(), false);
        try (InputStream body = response.body()) {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.statusCode()).append(' ')
                    .append(reason(response.statusCode())).append("\r\n");
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
                }
            });
            head.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = body.read(buffer)) != -1) {
                out.write((Integer.toHexString(read) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buffer, 0, read);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return false;
    }

    private CompletableFuture<HttpResponse<byte[]>> forwardAsync(Request request, boolean respondAsync) {
        return forwarder.sendAsync(forward(request, respondAsync), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest forward(Request request, boolean respondAsync) {
        HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(request.path))
                .timeout(Duration.ofSeconds(60))
                .method(request.method, request.body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body));
        request.headers.forEach((name, value) -> {
            if (!HOP_HEADERS.contains(name)) {
                forward.header(name, value);
            }
        });
        if (respondAsync) {
            forward.header("Prefer", "respond-async");
        }
        return forward.build();
    }

    private void record(Exchange seen, Fault fault, int status, boolean replayed) {
        exchanges.add(new Exchange(seen.method(), seen.path(), seen.idempotencyKey(), seen.body(), fault, status,
                replayed, seen.delayed()));
    }

    private static byte[] problem(int status, String type) {
        return ("{\"type\":\"https://pawkit.dev/problems/" + type + "\",\"title\":\"" + type + "\",\"status\":"
                + status + ",\"detail\":\"injected by the test proxy\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\n");
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        down();
        connections.shutdownNow();
    }

    /** A parsed HTTP/1.1 request: request line, headers (lower-cased names), Content-Length body. */
    private static final class Request {
        final String method;
        final String path;
        final Map<String, String> headers;
        final byte[] body;

        private Request(String method, String path, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
        }

        static Request read(InputStream in) throws IOException {
            String line = line(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            String[] parts = line.split(" ");
            Map<String, String> headers = new TreeMap<>();
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Request(parts[0], parts[1], headers, body);
        }

        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String text = bytes.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                bytes.write(b);
            }
            return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
