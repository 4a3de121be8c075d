package dev.websocketstarter.internal.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;

/**
 * Upgrades a handshake that Spring's handshake handler accepted to a
 * {@link UpgradedConnection}, through the Servlet upgrade API rather than the container's
 * WebSocket layer.
 * <p>
 * Spring's handler has checked the method, headers and version and run the interceptors
 * by then; this answers with 101 and the accept key of RFC 6455 section 4.2.2. No
 * extension is offered, so permessage-deflate is never negotiated.
 * <p>
 * It is built and tested for Tomcat; see {@link #supports(ServletContext)}.
 */
public final class ServletUpgradeStrategy implements RequestUpgradeStrategy {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final long maxMessageSize;

	private final long closeTimeoutMillis;

	/**
	 * Create a strategy for the sessions of one app.
	 * @param maxMessageSize the largest message a peer may send, in bytes; a larger one
	 * closes the session with 1009
	 * @param closeTimeout how long a close frame of ours waits for the peer's answer
	 * before the connection is closed anyway
	 */
	public ServletUpgradeStrategy(long maxMessageSize, Duration closeTimeout) {
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		this.maxMessageSize = maxMessageSize;
		this.closeTimeoutMillis = Math.max(1, closeTimeout.toMillis());
	}

	/**
	 * Whether this strategy serves the container of a Servlet context: Tomcat only. Other
	 * containers differ in how an upgraded connection is closed from a thread of their
	 * own, and Jetty fails upgrades that Spring's observation filter sees.
	 * @param servletContext the context
	 * @return whether the context runs on Tomcat
	 */
	public static boolean supports(ServletContext servletContext) {
		// By class: a hardened Tomcat often hides its server info
		return servletContext.getClass().getName().startsWith("org.apache.catalina.");
	}

	@Override
	public String[] getSupportedVersions() {
		return new String[] { "13" };
	}

	@Override
	public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
		return List.of();
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		if (!(request instanceof ServletServerHttpRequest servletRequest)
				|| !(response instanceof ServletServerHttpResponse servletResponse)) {
			throw new HandshakeFailureException(
					"The starter's WebSocket transport needs a Servlet request, not " + request.getClass().getName());
		}
		String key = request.getHeaders().getFirst("Sec-WebSocket-Key");
		if (key == null) {
			throw new HandshakeFailureException("No Sec-WebSocket-Key header");
		}
		if (!(WebSocketHandlerDecorator.unwrap(wsHandler) instanceof ConnectionAcceptor acceptor)) {
			throw new HandshakeFailureException("The starter's WebSocket transport serves the starter's apps only, not "
					+ WebSocketHandlerDecorator.unwrap(wsHandler));
		}
		HttpServletRequest httpRequest = servletRequest.getServletRequest();
		HttpServletResponse httpResponse = servletResponse.getServletResponse();
		httpResponse.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
		httpResponse.setHeader("Upgrade", "websocket");
		httpResponse.setHeader("Connection", "Upgrade");
		httpResponse.setHeader("Sec-WebSocket-Accept", accept(key.trim()));
		if (selectedProtocol != null) {
			httpResponse.setHeader("Sec-WebSocket-Protocol", selectedProtocol);
		}
		UpgradedConnection connection;
		try {
			connection = httpRequest.upgrade(UpgradedConnection.class);
		}
		catch (IOException | ServletException ex) {
			throw new HandshakeFailureException("Upgrade of " + request.getURI() + " failed", ex);
		}
		URI uri = request.getURI();
		// The request's headers are a view of the Servlet request, which the container
		// recycles once the upgrade is done
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(request.getHeaders());
		connection.attach(acceptor, new UpgradeRequest(uri, user, headers, request.getRemoteAddress(), attributes),
				this.maxMessageSize, this.closeTimeoutMillis);
	}

	/**
	 * The {@code Sec-WebSocket-Accept} value for a key (RFC 6455 section 4.2.2).
	 * @param key the client's {@code Sec-WebSocket-Key}
	 * @return the base64 SHA-1 of the key and the protocol's GUID
	 */
	static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-1", ex);
		}
	}

}
