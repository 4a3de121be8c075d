package dev.websocketstarter.internal.history;

import java.util.List;

import dev.websocketstarter.registry.HistoryMessage;
import org.jspecify.annotations.Nullable;

/**
 * Where the histories of a cluster are kept, so that a node whose own copy of a
 * subscription's history does not reach back far enough reads it there: the cluster relay
 * reads Redis. A node follows the subscriptions it has subscribers for: it receives their
 * multicasts, and reads the source for the others.
 */
@FunctionalInterface
public interface HistorySource {

	/**
	 * Read a subscription's history as the cluster keeps it; waits for the source.
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 * @return the history, {@code null} when the source cannot be read
	 */
	@Nullable Snapshot read(String scope, String subscription);

	/**
	 * Which follow of a subscription this node is in: a number that changes each time
	 * this node starts receiving the subscription's multicasts from the source, and 0
	 * while it does not. A copy kept in one follow is complete in it; one kept in an
	 * earlier follow, or while not following, may lack what was multicast meanwhile.
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 * @return the follow, 0 when not following
	 */
	default long followed(String scope, String subscription) {
		return 1;
	}

	/**
	 * A subscription's history as the cluster keeps it.
	 *
	 * @param epoch the epoch of its offsets, empty when the source has none for it yet
	 * @param offset the offset of the last message multicast
	 * @param messages the messages kept, oldest first
	 */
	record Snapshot(String epoch, long offset, List<HistoryMessage> messages) {

	}

}
