package dev.websocketstarter.internal.history;

import java.util.List;

import dev.websocketstarter.registry.HistoryMessage;
import org.jspecify.annotations.Nullable;

/**
 * Where the histories of a cluster are kept, so that a node whose own copy of a
 * subscription's history does not reach back far enough reads it there: the cluster relay
 * reads Redis.
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
	 * A subscription's history as the cluster keeps it.
	 *
	 * @param epoch the epoch of its offsets, empty when the source has none for it yet
	 * @param offset the offset of the last message multicast
	 * @param messages the messages kept, oldest first
	 */
	record Snapshot(String epoch, long offset, List<HistoryMessage> messages) {

	}

}
