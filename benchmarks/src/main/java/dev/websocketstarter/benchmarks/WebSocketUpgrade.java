package dev.websocketstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The answer to a WebSocket opening handshake (RFC 6455 section 4.2.2), for the floor
 * target, which upgrades through the Servlet API rather than a WebSocket layer.
 */
public final class WebSocketUpgrade {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private WebSocketUpgrade() {
	}

	/**
	 * Set the 101 status and the headers that accept the handshake of {@code key}; the
	 * caller then upgrades the request.
	 */
	public static void accept(String key, HttpServletResponse response) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key.strip() + GUID).getBytes(StandardCharsets.US_ASCII));
			response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
			response.setHeader("Upgrade", "websocket");
			response.setHeader("Connection", "Upgrade");
			response.setHeader("Sec-WebSocket-Accept", Base64.getEncoder().encodeToString(digest));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-1", ex);
		}
	}

}
