package dev.websocketstarter.internal.history;

import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.internal.json.JsonStrings;
import dev.websocketstarter.registry.HistoryMessage;
import org.jspecify.annotations.Nullable;

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
 * Their sizes are counted in UTF-8, as the channels' send buffers count them.
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
	 * The frames of messages a channel missed, {@code null} if they take more than the
	 * bytes the channel can take: they would close it, and it would come back asking
	 * again.
	 */
	static @Nullable List<String> pubs(String subscription, String epoch, List<HistoryMessage> messages,
			long maxBytes) {
		List<String> frames = new ArrayList<>(messages.size());
		long bytes = 0;
		for (HistoryMessage message : messages) {
			String frame = pub(subscription, epoch, message.offset(), message.text());
			bytes += utf8Length(frame);
			if (bytes > maxBytes) {
				return null;
			}
			frames.add(frame);
		}
		return frames;
	}

	/**
	 * The length of a text in UTF-8.
	 */
	static long utf8Length(String text) {
		long length = text.length();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				// Two bytes for U+0080 to U+07FF, three up to U+FFFF; a surrogate pair's
				// four come as two and two
				length += (c < 0x800) ? 1 : (Character.isSurrogate(c) ? 1 : 2);
			}
		}
		return length;
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
