package dev.websocketstarter.internal.transport;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * What a client presented in the handshake that opened a connection.
 *
 * @param uri the full request URI, with context path and query
 * @param principal the authenticated user, if any
 * @param headers the request headers, a copy the connection may outlive
 * @param remoteAddress the address of the client, if known
 * @param attributes what the handshake interceptors left for the connection
 */
public record UpgradeRequest(URI uri, @Nullable Principal principal, HttpHeaders headers,
		@Nullable InetSocketAddress remoteAddress, Map<String, Object> attributes) {
}
