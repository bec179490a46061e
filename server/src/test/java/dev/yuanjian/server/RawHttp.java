package dev.yuanjian.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.JsonViews;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests written byte for byte on a socket, for inputs an HTTP client would refuse or normalise
 * (ambiguous paths, absurd lengths, broken request lines), and the answer read back as it came.
 */
final class RawHttp {
    /** One answer: status, headers (names in lower case), body (de-chunked). */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return JsonViews.mapper().readTree(body);
        }
    }

    private RawHttp() {
    }

    /**
     * Writes {@code request} and reads the answer until the server closes or the answer is complete.
     * A server that answers nothing within {@code waitMillis} fails the test.
     */
    static Answer exchange(int port, String request, int waitMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(waitMillis);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one answer from {@code in}: the head, then a Content-Length or chunked body. */
    static Answer read(InputStream in) throws IOException {
        String head = head(in);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = untilClosed(in);
        }
        return new Answer(Integer.parseInt(status[1]), headers, body);
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            out.write(b);
            String sofar = out.toString(StandardCharsets.ISO_8859_1);
            if (b == '\n' && sofar.endsWith("\r\n\r\n")) {
                return sofar;
            }
        }
        throw new IOException("the server closed the connection without a complete answer; got: "
                + out.toString(StandardCharsets.ISO_8859_1));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
            if (n == 0) {
                line(in);
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] untilClosed(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            return new byte[0];
        }
    }
}
