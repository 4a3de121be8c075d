package dev.websocketstarter.internal.history;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.websocketstarter.registry.ChannelAttribute;
import org.jspecify.annotations.Nullable;

/**
 * Where a reconnecting client left its subscriptions, as it asked in the handshake with
 * query parameters {@code recover=<epoch>:<offset>:<subscription>}, one per subscription.
 * Each is used by the first subscribe of the channel to that subscription.
 */
public final class RecoveryPositions {

	/** The name of the query parameter. */
	public static final String PARAMETER = "recover";

	/** Kept among the channel's attributes, on this node only. */
	public static final ChannelAttribute<RecoveryPositions> ATTRIBUTE = ChannelAttribute.of("websocket.recover",
			RecoveryPositions.class);

	/** Positions beyond these are ignored, so a handshake cannot make a channel large. */
	static final int MAX_POSITIONS = 64;

	private static final int MAX_LENGTH = 2048;

	private final Map<String, Position> positions = new ConcurrentHashMap<>();

	private RecoveryPositions() {
	}

	/**
	 * Read the positions of a handshake's {@code recover} parameters; malformed ones are
	 * left out, and their subscriptions are then joined without recovery.
	 * @param values the parameter's values, {@code null} when it has none
	 * @return the positions, {@code null} when there is none
	 */
	public static @Nullable RecoveryPositions parse(@Nullable List<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		RecoveryPositions parsed = new RecoveryPositions();
		for (String value : values.subList(0, Math.min(values.size(), MAX_POSITIONS))) {
			Position position = Position.parse(value);
			if (position != null) {
				parsed.positions.putIfAbsent(position.subscription(), position);
			}
		}
		return parsed.positions.isEmpty() ? null : parsed;
	}

	/**
	 * Take the position of a subscription, so that it is used once.
	 * @return the position, {@code null} if none was asked for
	 */
	@Nullable Position take(String subscription) {
		return this.positions.remove(subscription);
	}

	/**
	 * Where a client left one subscription.
	 *
	 * @param epoch the epoch of the offset
	 * @param offset the offset of the last message it has
	 * @param subscription the subscription
	 */
	record Position(String epoch, long offset, String subscription) {

		static @Nullable Position parse(String value) {
			if (value.length() > MAX_LENGTH) {
				return null;
			}
			int first = value.indexOf(':');
			int second = (first > 0) ? value.indexOf(':', first + 1) : -1;
			if (second < 0 || second == value.length() - 1) {
				return null;
			}
			String epoch = value.substring(0, first);
			String offset = value.substring(first + 1, second);
			if (epoch.length() > 32 || !epoch.chars().allMatch(Position::isBase36) || offset.isEmpty()
					|| offset.length() > 18 || !offset.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				return null;
			}
			return new Position(epoch, Long.parseLong(offset), value.substring(second + 1));
		}

		private static boolean isBase36(int c) {
			return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		}

	}

}
