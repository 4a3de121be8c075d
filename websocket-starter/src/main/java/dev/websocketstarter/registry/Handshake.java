package dev.websocketstarter.registry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

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
	 * Describe a handshake, decoding the query parameters of its URI.
	 * @param url the configured app URL the client connected to
	 * @param uri the full request URI, with context path and query
	 * @param principal the authenticated user, if any
	 * @param headers the handshake request headers
	 * @param remoteAddress the address of the client, if known
	 * @return the handshake
	 */
	public static Handshake of(String url, URI uri, @Nullable Principal principal, HttpHeaders headers,
			@Nullable InetSocketAddress remoteAddress) {
		return new Handshake(url, uri, principal, queryParameters(uri), headers, remoteAddress);
	}

	private static MultiValueMap<String, String> queryParameters(URI uri) {
		MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
		if (uri.getRawQuery() != null) {
			UriComponentsBuilder.fromUri(uri).build().getQueryParams().forEach((name, values) -> {
				for (String value : values) {
					decoded.add(decode(name), (value != null) ? decode(value) : "");
				}
			});
		}
		return decoded;
	}

	private static String decode(String value) {
		return UriUtils.decode(value, StandardCharsets.UTF_8);
	}

	/**
	 * The {@code Origin} header: the page the client runs in, for a browser.
	 * @return the origin, or {@code null} if the client sent none
	 */
	public @Nullable String origin() {
		return this.headers.getOrigin();
	}

	/**
	 * The first value of a query parameter.
	 * @param name the parameter name
	 * @return the first value, or {@code null} if the parameter is absent
	 */
	public @Nullable String queryParameter(String name) {
		return this.queryParameters.getFirst(name);
	}

}
