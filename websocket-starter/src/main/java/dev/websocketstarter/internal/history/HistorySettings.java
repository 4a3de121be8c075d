package dev.websocketstarter.internal.history;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * Which subscriptions of an app keep their multicasts, and how many, how large and how
 * old.
 *
 * @param subscriptions patterns of the subscriptions kept, where {@code *} matches any
 * characters; empty keeps none
 * @param size the most messages kept per subscription
 * @param maxBytes the most bytes of message text, in UTF-8, kept per subscription
 * @param maxAge the longest a message is kept
 */
public record HistorySettings(List<String> subscriptions, int size, DataSize maxBytes, Duration maxAge) {

	/** No subscription keeps history. */
	public static final HistorySettings NONE = new HistorySettings(List.of(), 100, DataSize.ofMegabytes(1),
			Duration.ofMinutes(5));

	/**
	 * Create settings, copying the patterns.
	 * @param subscriptions patterns of the subscriptions kept
	 * @param size the most messages kept per subscription
	 * @param maxBytes the most bytes kept per subscription
	 * @param maxAge the longest a message is kept
	 */
	public HistorySettings {
		subscriptions = List.copyOf(subscriptions);
	}

	/**
	 * Whether any subscription keeps history.
	 * @return {@code true} if there is a pattern
	 */
	public boolean isOn() {
		return !this.subscriptions.isEmpty();
	}

	/**
	 * Whether a subscription keeps history.
	 * @param subscription the subscription
	 * @return {@code true} if a pattern matches it
	 */
	public boolean keeps(String subscription) {
		for (String pattern : this.subscriptions) {
			if (matches(pattern, subscription)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a subscription matches a pattern where {@code *} stands for any characters,
	 * without a regular expression: a multicast to a subscription without history asks.
	 */
	static boolean matches(String pattern, String subscription) {
		int star = pattern.indexOf('*');
		if (star < 0) {
			return pattern.equals(subscription);
		}
		if (!subscription.startsWith(pattern.substring(0, star))) {
			return false;
		}
		int at = star;
		int from = star + 1;
		while (true) {
			int next = pattern.indexOf('*', from);
			if (next < 0) {
				String last = pattern.substring(from);
				return subscription.length() - last.length() >= at && subscription.endsWith(last);
			}
			int found = subscription.indexOf(pattern.substring(from, next), at);
			if (found < 0) {
				return false;
			}
			at = found + (next - from);
			from = next + 1;
		}
	}

}
