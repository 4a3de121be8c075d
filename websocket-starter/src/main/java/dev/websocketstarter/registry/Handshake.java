package dev.websocketstarter.registry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * What a client presented when it opened a channel.
 *
 * @param url the configured app URL the client connected to, which is also the channel's
 * own subscription
 * @param uri the full request URI, with context path and query
 * @param principal the authenticated user, if any
 * @param queryParameters the decoded query parameters
 * @param headers the handshake request headers
 * @param remoteAddress the address of the client, if known
 */
public record Handshake(String url, URI uri, @Nullable Principal principal,
		MultiValueMap<String, String> queryParameters, HttpHeaders headers, @Nullable InetSocketAddress remoteAddress) {

	/**
	 * The first value of a query parameter.
	 * @param name the parameter name
	 * @return the first value, or {@code null} if the parameter is absent
	 */
	public @Nullable String queryParameter(String name) {
		return this.queryParameters.getFirst(name);
	}

}
