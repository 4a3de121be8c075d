package dev.websocketstarter.benchmarks.nio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The server's half of the WebSocket opening handshake (RFC 6455 section 4.2), read from
 * raw request bytes and answered with raw response bytes: no HTTP library, as the relay
 * has none.
 */
final class Handshake {

	/**
	 * Larger than any request the load tool sends, small enough to bound a bad client.
	 */
	static final int MAX_REQUEST = 8192;

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	/** The nonce is 16 random bytes, so its base64 form is always 24 characters. */
	private static final int KEY_BYTES = 16;

	private final MessageDigest sha1;

	Handshake() {
		try {
			this.sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-1", ex);
		}
	}

	/**
	 * Where the request's header block ends.
	 * @return the index after its blank line, or -1 while it is incomplete
	 */
	static int headerEnd(byte[] bytes, int end) {
		for (int i = 3; i < end; i++) {
			if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
				return i + 1;
			}
		}
		return -1;
	}

	/**
	 * The answer to the request in {@code bytes[0, end)}, a complete header block.
	 * @param path the one path the relay serves
	 */
	Answer answer(byte[] bytes, int end, String path) {
		String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
		String[] requestLine = lines[0].split(" ");
		if (requestLine.length != 3 || !requestLine[0].equals("GET") || !requestLine[2].equals("HTTP/1.1")) {
			return refuse("400 Bad Request", "");
		}
		int query = requestLine[1].indexOf('?');
		String target = (query >= 0) ? requestLine[1].substring(0, query) : requestLine[1];
		if (!target.equals(path)) {
			return refuse("404 Not Found", "");
		}
		Map<String, String> headers = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
			String value = lines[i].substring(colon + 1).strip();
			// A repeated header counts as one comma-separated list (RFC 9110 section 5.3)
			headers.merge(name, value, (first, second) -> first + ", " + second);
		}
		if (!hasToken(headers.get("upgrade"), "websocket") || !hasToken(headers.get("connection"), "upgrade")) {
			return refuse("400 Bad Request", "");
		}
		if (!"13".equals(headers.get("sec-websocket-version"))) {
			// Section 4.4: name the version the server speaks
			return refuse("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n");
		}
		String key = headers.get("sec-websocket-key");
		if (key == null || !isNonce(key)) {
			return refuse("400 Bad Request", "");
		}
		// Neither Sec-WebSocket-Protocol nor Sec-WebSocket-Extensions is answered: a
		// server that selects none leaves them out, and the client then uses none
		String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
		return new Answer(response.getBytes(StandardCharsets.US_ASCII), true);
	}

	/**
	 * The answer to a request whose header block is longer than {@link #MAX_REQUEST}.
	 */
	static Answer tooLarge() {
		return refuse("431 Request Header Fields Too Large", "");
	}

	/**
	 * The Sec-WebSocket-Accept value for {@code key}: base64 of the SHA-1 of the key and
	 * the protocol's GUID.
	 */
	String accept(String key) {
		byte[] digest = this.sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
		return Base64.getEncoder().encodeToString(digest);
	}

	private static boolean isNonce(String key) {
		try {
			return Base64.getDecoder().decode(key).length == KEY_BYTES;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean hasToken(@Nullable String value, String token) {
		if (value == null) {
			return false;
		}
		for (String part : value.split(",")) {
			if (part.strip().equalsIgnoreCase(token)) {
				return true;
			}
		}
		return false;
	}

	private static Answer refuse(String status, String headers) {
		String response = "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n";
		return new Answer(response.getBytes(StandardCharsets.US_ASCII), false);
	}

	/**
	 * What to send back.
	 *
	 * @param response the whole HTTP response
	 * @param upgraded whether the connection speaks WebSocket once it is sent; if not,
	 * the connection closes after it
	 */
	record Answer(byte[] response, boolean upgraded) {

	}

}
