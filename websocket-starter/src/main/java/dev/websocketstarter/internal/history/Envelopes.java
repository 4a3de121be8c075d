package dev.websocketstarter.internal.history;

import dev.websocketstarter.internal.json.JsonStrings;

/**
 * The frames subscribers of a subscription with history get, each a JSON object whose
 * first member is {@code "ws"}, so that a client tells them from the app's own messages
 * by their first seven characters, <code>&#123;"ws":"</code>.
 * <ul>
 * <li>{@code {"ws":"pub","sub":"/chat","epoch":"k2x9","offset":12,"data":"..."}}: a
 * message multicast to the subscription, its text in {@code data}</li>
 * <li>{@code {"ws":"subscribed","sub":"/chat","epoch":"k2x9","offset":11,
 * "recovery":"recovered","missed":1}}: the channel joined the subscription at that
 * offset; the messages it missed, if it asked to recover, follow</li>
 * </ul>
 */
final class Envelopes {

	private Envelopes() {
	}

	static String pub(String subscription, String epoch, long offset, String text) {
		StringBuilder json = new StringBuilder(text.length() + subscription.length() + 64);
		json.append("{\"ws\":\"pub\",\"sub\":");
		JsonStrings.append(subscription, json);
		json.append(",\"epoch\":\"").append(epoch).append("\",\"offset\":").append(offset).append(",\"data\":");
		JsonStrings.append(text, json);
		return json.append('}').toString();
	}

	static String subscribed(String subscription, String epoch, long offset, Recovery recovery, int missed) {
		StringBuilder json = new StringBuilder(subscription.length() + 96);
		json.append("{\"ws\":\"subscribed\",\"sub\":");
		JsonStrings.append(subscription, json);
		json.append(",\"epoch\":\"").append(epoch).append("\",\"offset\":").append(offset);
		json.append(",\"recovery\":\"").append(recovery.wireName).append("\",\"missed\":").append(missed);
		return json.append('}').toString();
	}

	/**
	 * What became of a channel's request to recover what it missed.
	 */
	enum Recovery {

		/** It asked for nothing. */
		NONE("none"),

		/** The messages it missed follow, every one. */
		RECOVERED("recovered"),

		/** What it missed is not known: the epoch changed or the gap is too old. */
		NOT_RECOVERABLE("not-recoverable");

		private final String wireName;

		Recovery(String wireName) {
			this.wireName = wireName;
		}

	}

}
