package dev.pawkit.sync.api.enricher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The web as the enricher meets it, on 127.0.0.1 only: good pages, bad pages, slow and huge ones,
 * redirects that go wrong. Counts the requests per path, so a test can tell what was fetched.
 */
final class TestSite implements AutoCloseable {

    static final int HUGE_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> refreshTitle = new AtomicReference<>("First title");
    private volatile CountDownLatch held = new CountDownLatch(1);

    TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** An address of this site, by IP. */
    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** An address of this site, by the name "localhost". */
    String urlByName(String path) {
        return "http://localhost:" + port() + path;
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests of any path so far. */
    int requests() {
        return requests.get();
    }

    void setRefreshTitle(String title) {
        refreshTitle.set(title);
    }

    /** Lets every request waiting on a /held/ page through, and all later ones at once. */
    void releaseHeld() {
        held.countDown();
    }

    /** Holds /held/ pages again until the next release. */
    void holdAgain() {
        held = new CountDownLatch(1);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        requests.incrementAndGet();
        try {
            if (path.startsWith("/chain/") && !path.equals("/chain/end/index.html")) {
                int step = Integer.parseInt(path.substring("/chain/".length()));
                redirect(exchange, step < 5 ? "/chain/" + (step + 1) : "end/index.html");
                return;
            }
            if (path.startsWith("/held/")) {
                held.await(60, TimeUnit.SECONDS);
                html(exchange, "<title>Held " + path.substring("/held/".length()) + "</title>");
                return;
            }
            if (path.startsWith("/error/")) {
                respond(exchange, 500, "text/html", "<title>Internal Server Error</title>".getBytes());
                return;
            }
            if (path.startsWith("/reset/")) {
                // Hung up without an answer: the enricher sees the connection fail.
                return;
            }
            if (path.startsWith("/slow/")) {
                Thread.sleep(5_000);
                html(exchange, "<title>Too late</title>");
                return;
            }
            if (path.startsWith("/quick/")) {
                html(exchange, "<title>Quick " + path.substring("/quick/".length()) + "</title>");
                return;
            }
            switch (path) {
                case "/og" -> html(exchange, """
                        <!doctype html><html><head>
                          <title>Plain title</title>
                          <meta property="og:title" content="The OpenGraph title">
                          <meta property="og:description" content="  What the page is about.  ">
                          <meta property="og:image" content="/images/cover.png">
                          <meta property="og:site_name" content="Test Site">
                          <link rel="icon" href="/static/icon.svg">
                        </head><body><p>Article</p></body></html>""");
                case "/title-only" -> html(exchange, "<html><head><title>Only a title</title></head><body></body></html>");
                case "/chain/end/index.html" -> html(exchange,
                        "<head><title>End of the chain</title><link rel=icon href=icon.png></head>");
                case "/loop/a" -> redirect(exchange, "/loop/b");
                case "/loop/b" -> redirect(exchange, "/loop/a");
                case "/huge" -> huge(exchange);
                case "/slow" -> {
                    Thread.sleep(5_000);
                    html(exchange, "<title>Too late</title>");
                }
                case "/file.pdf" -> respond(exchange, 200, "application/pdf", "%PDF-1.7 not a page".getBytes());
                case "/flaky" -> {
                    if (hit <= 2) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                        respond(exchange, 503, "text/html", "<title>Service Unavailable</title>".getBytes());
                    } else {
                        html(exchange, "<title>Back again</title>");
                    }
                }
                case "/refresh" -> html(exchange, "<title>" + refreshTitle.get() + "</title>");
                case "/to-loopback" -> redirect(exchange, url("/og"));
                case "/to-file" -> redirect(exchange, "file:///etc/passwd");
                default -> respond(exchange, 404, "text/html", "<title>Not Found</title>".getBytes());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The enricher hung up (body limit, timeout, a crash): expected for some pages.
        } finally {
            exchange.close();
        }
    }

    /** 10 MB of HTML, its head first: the enricher reads the head and stops long before the end. */
    private static void huge(HttpExchange exchange) throws IOException {
        byte[] head = "<html><head><title>A huge page</title></head><body>".getBytes(StandardCharsets.UTF_8);
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'x');
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, HUGE_BYTES);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            long left = HUGE_BYTES - head.length;
            while (left > 0) {
                int chunk = (int) Math.min(filler.length, left);
                out.write(filler, 0, chunk);
                left -= chunk;
            }
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private static void html(HttpExchange exchange, String html) throws IOException {
        respond(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        releaseHeld();
        server.stop(0);
        threads.shutdownNow();
    }
}
