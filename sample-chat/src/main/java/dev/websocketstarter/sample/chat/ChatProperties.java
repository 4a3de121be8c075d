package dev.websocketstarter.sample.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the chat. Every value a client controls is bounded here, in the bytes it
 * costs where it is sent.
 *
 * @param historySize most recent messages of a room sent to newcomers
 * @param historyBytes most bytes of those messages, as encoded in the history frame: the
 * newest that fit are sent, so the frame stays well under the app's send buffer
 * @param maxTextBytes most bytes of a message's text, as encoded in the frames it is sent
 * in (UTF-8, JSON escapes included)
 * @param maxNameLength most characters (code points) of a display name, before a suffix
 * the server adds
 * @param rateLimit how many messages one client address may send, across its connections
 * @param connections how many connections one client address may hold and open
 */
@ConfigurationProperties("chat")
public record ChatProperties(@DefaultValue("50") int historySize, @DefaultValue("64KB") DataSize historyBytes,
		@DefaultValue("4KB") DataSize maxTextBytes, @DefaultValue("32") int maxNameLength,
		@DefaultValue RateLimit rateLimit, @DefaultValue Connections connections) {

	public ChatProperties {
		if (historySize < 0) {
			throw new InvalidConfigurationPropertyValueException("chat.history-size", historySize,
					"Use 0 (no history) or a positive number");
		}
		if (historyBytes.toBytes() < maxTextBytes.toBytes()) {
			throw new InvalidConfigurationPropertyValueException("chat.history-bytes", historyBytes,
					"Use at least chat.max-text-bytes (" + maxTextBytes + "), so that any message fits");
		}
		if (maxTextBytes.toBytes() < 16) {
			throw new InvalidConfigurationPropertyValueException("chat.max-text-bytes", maxTextBytes,
					"Use at least 16B");
		}
		if (maxNameLength < 1) {
			throw new InvalidConfigurationPropertyValueException("chat.max-name-length", maxNameLength,
					"Use a positive number of characters");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Use a positive duration such as 1s");
		}
	}

	/**
	 * A token bucket per client address: it holds up to {@code burst} messages and
	 * refills with {@code messages} every {@code per}.
	 *
	 * @param messages number of messages added to the bucket every {@code per}
	 * @param per period over which {@code messages} are added
	 * @param burst maximum number of messages the bucket holds, sent at once by a quiet
	 * client
	 */
	public record RateLimit(@DefaultValue("5") int messages, @DefaultValue("1s") Duration per,
			@DefaultValue("10") int burst) {

		public RateLimit {
			if (messages < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.rate-limit.messages", messages,
						"Use a positive number of messages");
			}
			requirePositive("chat.rate-limit.per", per);
			if (burst < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.rate-limit.burst", burst,
						"Use a positive number of messages");
			}
		}

	}

	/**
	 * The connections of one client address: how many it may hold, and a token bucket of
	 * the connections it may open, so that joining and leaving in a loop is slowed down.
	 *
	 * @param maxPerAddress most connections open at once
	 * @param opens number of connections added to the bucket every {@code per}
	 * @param per period over which {@code opens} are added
	 * @param burst most connections opened at once by a quiet address
	 */
	public record Connections(@DefaultValue("10") int maxPerAddress, @DefaultValue("10") int opens,
			@DefaultValue("10s") Duration per, @DefaultValue("20") int burst) {

		public Connections {
			if (maxPerAddress < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.connections.max-per-address", maxPerAddress,
						"Use a positive number of connections");
			}
			if (opens < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.connections.opens", opens,
						"Use a positive number of connections");
			}
			requirePositive("chat.connections.per", per);
			if (burst < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.connections.burst", burst,
						"Use a positive number of connections");
			}
		}

	}

}
