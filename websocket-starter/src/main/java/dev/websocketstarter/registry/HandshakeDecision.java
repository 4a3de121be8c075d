package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;

/**
 * What an app decides about a handshake before the upgrade: accept it, optionally with
 * attributes for the new channel, or refuse it with 401, 403, 429 or 503. A refusal's
 * reason is logged, never sent to the client, and the handler never hears of the channel.
 * <p>
 * Immutable: {@link #with} returns a new decision.
 *
 * @see ChannelHandler#onHandshake(Handshake)
 * @see HandshakeAuthorizer
 */
public final class HandshakeDecision {

	private static final Set<HttpStatus> REFUSALS = Set.of(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN,
			HttpStatus.TOO_MANY_REQUESTS, HttpStatus.SERVICE_UNAVAILABLE);

	private static final HandshakeDecision ACCEPT = new HandshakeDecision(null, "", null, Map.of());

	private final @Nullable HttpStatus status;

	private final String reason;

	private final @Nullable Duration retryAfter;

	private final Map<ChannelAttribute<?>, Object> attributes;

	private HandshakeDecision(@Nullable HttpStatus status, String reason, @Nullable Duration retryAfter,
			Map<ChannelAttribute<?>, Object> attributes) {
		this.status = status;
		this.reason = reason;
		this.retryAfter = retryAfter;
		this.attributes = attributes;
	}

	/**
	 * Accept the handshake.
	 * @return the decision
	 */
	public static HandshakeDecision accept() {
		return ACCEPT;
	}

	/**
	 * Refuse the handshake.
	 * @param status 401, 403, 429 or 503
	 * @param reason why, for the log
	 * @return the decision
	 * @throws IllegalArgumentException for any other status
	 */
	public static HandshakeDecision refuse(HttpStatus status, String reason) {
		Assert.isTrue(REFUSALS.contains(status),
				() -> "A handshake is refused with 401, 403, 429 or 503, not " + status);
		Assert.notNull(reason, "'reason' must not be null");
		return new HandshakeDecision(status, reason, null, Map.of());
	}

	/**
	 * Refuse with 401: the client did not say who it is.
	 * @param reason why, for the log
	 * @return the decision
	 */
	public static HandshakeDecision unauthorized(String reason) {
		return refuse(HttpStatus.UNAUTHORIZED, reason);
	}

	/**
	 * Refuse with 403: the client may not use the app.
	 * @param reason why, for the log
	 * @return the decision
	 */
	public static HandshakeDecision forbidden(String reason) {
		return refuse(HttpStatus.FORBIDDEN, reason);
	}

	/**
	 * Refuse with 429: the client connects too often.
	 * @param reason why, for the log
	 * @param retryAfter when the client may try again, sent as {@code Retry-After}
	 * @return the decision
	 */
	public static HandshakeDecision tooManyRequests(String reason, Duration retryAfter) {
		return refuse(HttpStatus.TOO_MANY_REQUESTS, reason).retryAfter(retryAfter);
	}

	/**
	 * Refuse with 503: the app cannot take the client now.
	 * @param reason why, for the log
	 * @return the decision
	 */
	public static HandshakeDecision unavailable(String reason) {
		return refuse(HttpStatus.SERVICE_UNAVAILABLE, reason);
	}

	private HandshakeDecision retryAfter(Duration retryAfter) {
		Assert.isTrue(!retryAfter.isNegative(), "'retryAfter' must not be negative");
		return new HandshakeDecision(this.status, this.reason, retryAfter, this.attributes);
	}

	/**
	 * This acceptance with one more attribute for the new channel.
	 * @param <T> the type of the value
	 * @param attribute the attribute
	 * @param value its value
	 * @return a new decision
	 * @throws IllegalStateException if this is a refusal
	 * @throws IllegalArgumentException if a shared value's text is longer than
	 * {@link ChannelAttribute#MAX_SHARED_BYTES}
	 */
	public <T> HandshakeDecision with(ChannelAttribute<T> attribute, T value) {
		Assert.state(isAccepted(), "A refused handshake opens no channel to carry attributes");
		Assert.notNull(value, "'value' must not be null");
		attribute.check(value);
		Map<ChannelAttribute<?>, Object> attributes = new LinkedHashMap<>(this.attributes);
		attributes.put(attribute, value);
		return new HandshakeDecision(null, "", null, attributes);
	}

	/**
	 * Whether the handshake may go on.
	 * @return {@code true} for an acceptance
	 */
	public boolean isAccepted() {
		return this.status == null;
	}

	/**
	 * The status of a refusal.
	 * @return the status, {@code null} for an acceptance
	 */
	public @Nullable HttpStatus status() {
		return this.status;
	}

	/**
	 * Why the handshake was refused, for the log.
	 * @return the reason, empty for an acceptance
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * When a client refused with 429 may try again.
	 * @return the delay, or {@code null}
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * The attributes an acceptance gives the new channel.
	 * @return the attributes, in the order they were added
	 */
	public Map<ChannelAttribute<?>, Object> attributes() {
		return this.attributes;
	}

	@Override
	public String toString() {
		return isAccepted() ? "HandshakeDecision[accept, attributes=" + this.attributes.keySet() + "]"
				: "HandshakeDecision[" + this.status + ", " + this.reason + "]";
	}

}
