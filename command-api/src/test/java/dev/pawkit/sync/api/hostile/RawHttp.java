package dev.pawkit.sync.api.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.0 exchange over a plain socket, every byte as given: header values with control
 * characters or raw UTF-8, a header twice, an invalid path, any body. The JDK's client refuses or
 * rewrites all of these. HTTP/1.0, so the server answers without chunking and closes after it.
 */
final class RawHttp {

    /** A header line exactly as sent: the value's bytes are not checked or encoded. */
    record Header(String name, byte[] value) {

        static Header of(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What came back: status 0 when the server closed without an answer. */
    record Answer(int status, List<String> headerLines, byte[] body) {

        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : headerLines) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with the headers (Host and, with a body, Content-Length added
     * unless {@code exactHeaders}) and the body; reads the answer (only its head for HEAD and for
     * an event stream, which never ends).
     */
    static Answer exchange(int port, String method, byte[] target, List<Header> headers, byte[] body,
            boolean exactHeaders) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        request.write(target);
        request.write(" HTTP/1.0\r\n".getBytes(StandardCharsets.ISO_8859_1));
        List<Header> all = new ArrayList<>();
        if (!exactHeaders) {
            all.add(Header.of("Host", "127.0.0.1:" + port));
            if (body != null) {
                all.add(Header.of("Content-Length", String.valueOf(body.length)));
            }
        }
        all.addAll(headers);
        for (Header header : all) {
            request.write((header.name() + ": ").getBytes(StandardCharsets.ISO_8859_1));
            request.write(header.value());
            request.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        request.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.write(body);
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            try {
                socket.getOutputStream().write(request.toByteArray());
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // The server may answer and close before reading everything (a 413, a header too big): read that.
            }
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    private static Answer read(InputStream in, boolean headOnly) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        try {
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (IOException e) {
            // Reset by the server: whatever arrived is the answer.
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (matched < 4 || !text.startsWith("HTTP/")) {
            return new Answer(0, List.of(), head.toByteArray());
        }
        String[] lines = text.trim().split("\r\n");
        List<String> headerLines = List.of(lines).subList(1, lines.length);
        Answer headers = new Answer(Integer.parseInt(lines[0].split(" ")[1]), headerLines, new byte[0]);
        String type = headers.header("Content-Type");
        if (headOnly || (type != null && type.startsWith("text/event-stream"))) {
            return headers;
        }
        String length = headers.header("Content-Length");
        byte[] body;
        try {
            body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        } catch (IOException e) {
            body = new byte[0];
        }
        return new Answer(headers.status(), headerLines, body);
    }
}
