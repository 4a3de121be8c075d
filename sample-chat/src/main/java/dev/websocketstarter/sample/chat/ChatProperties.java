package dev.websocketstarter.sample.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Settings of the chat.
 *
 * @param historySize number of recent messages of a room sent to newcomers
 * @param maxTextLength maximum length of a message, in characters (code points)
 * @param maxNameLength maximum length of a display name before a collision suffix, in
 * characters (code points)
 * @param rateLimit how many messages one connection may send
 */
@ConfigurationProperties("chat")
public record ChatProperties(@DefaultValue("50") int historySize, @DefaultValue("2000") int maxTextLength,
		@DefaultValue("32") int maxNameLength, @DefaultValue RateLimit rateLimit) {

	public ChatProperties {
		if (historySize < 0) {
			throw new InvalidConfigurationPropertyValueException("chat.history-size", historySize,
					"Use 0 (no history) or a positive number");
		}
		if (maxTextLength < 1) {
			throw new InvalidConfigurationPropertyValueException("chat.max-text-length", maxTextLength,
					"Use a positive number of characters");
		}
		if (maxNameLength < 1) {
			throw new InvalidConfigurationPropertyValueException("chat.max-name-length", maxNameLength,
					"Use a positive number of characters");
		}
	}

	/**
	 * A token bucket per connection: it holds up to {@code burst} messages and refills
	 * with {@code messages} every {@code per}.
	 *
	 * @param messages number of messages added to the bucket every {@code per}
	 * @param per period over which {@code messages} are added
	 * @param burst maximum number of messages the bucket holds, sent at once by a quiet
	 * connection
	 */
	public record RateLimit(@DefaultValue("5") int messages, @DefaultValue("1s") Duration per,
			@DefaultValue("10") int burst) {

		public RateLimit {
			if (messages < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.rate-limit.messages", messages,
						"Use a positive number of messages");
			}
			if (per.isNegative() || per.isZero()) {
				throw new InvalidConfigurationPropertyValueException("chat.rate-limit.per", per,
						"Use a positive duration such as 1s");
			}
			if (burst < 1) {
				throw new InvalidConfigurationPropertyValueException("chat.rate-limit.burst", burst,
						"Use a positive number of messages");
			}
		}

	}

}
