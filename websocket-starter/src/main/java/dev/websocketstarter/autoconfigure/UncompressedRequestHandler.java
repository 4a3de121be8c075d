package dev.websocketstarter.autoconfigure;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Spring's WebSocket request handler for an app that does not compress: where the
 * container's WebSocket layer serves it, the handshake goes on as if the client offered
 * no extensions.
 * <p>
 * Tomcat and Jetty negotiate their own permessage-deflate whatever extensions Spring's
 * handshake handler selects; Tomcat then keeps about 150 KiB of zlib state per connection
 * for the connection's lifetime. Hiding the client's offer is what keeps it from being
 * accepted.
 */
class UncompressedRequestHandler extends WebSocketHttpRequestHandler {

	private static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

	private final LoggingHandshakeHandler handshakeHandler;

	UncompressedRequestHandler(WebSocketHandler handler, LoggingHandshakeHandler handshakeHandler) {
		super(handler, handshakeHandler);
		this.handshakeHandler = handshakeHandler;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		// The starter's transport offers no extension: its handler sees every header
		super.handleRequest(this.handshakeHandler.isContainerLayer() ? new WithoutExtensions(request) : request,
				response);
	}

	private static final class WithoutExtensions extends HttpServletRequestWrapper {

		WithoutExtensions(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(EXTENSIONS_HEADER::equalsIgnoreCase);
			return Collections.enumeration(names);
		}

	}

}
