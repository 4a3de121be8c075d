package dev.websocketstarter.cluster;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterView}.
 */
class ClusterViewTests {

	private static final Channel B1 = new Channel("chat", "node-b", 1);

	private static final Channel B2 = new Channel("chat", "node-b", 2);

	private static final Channel C1 = new Channel("chat", "node-c", 1);

	private final Set<String> alive = new HashSet<>(Set.of("node-b", "node-c"));

	private final ClusterView view = new ClusterView(this.alive::contains);

	@Test
	void changesOfANodeReadInFullApplyInOrder() {
		this.view.read("node-b", 10, Map.of());
		assertThat(this.view.apply(changes("node-b", 11, B1, Set.of("room")))).isTrue();
		assertThat(this.view.apply(changes("node-b", 12, B2, Set.of("room", "other")))).isTrue();
		assertThat(this.view.subscriberCount("room")).isEqualTo(2);
		assertThat(this.view.subscribers("other")).containsExactly(B2);
		assertThat(this.view.apply(changes("node-b", 13, B1, null))).isTrue();
		assertThat(this.view.subscribers("room")).containsExactly(B2);
		assertThat(this.view.subscriptions(B1)).isNull();
		assertThat(this.view.subscriptions(B2)).containsExactlyInAnyOrder("room", "other");
	}

	@Test
	void firstChangesOfAnUnknownNodeAskForAFullRead() {
		assertThat(this.view.apply(changes("node-b", 5, B1, Set.of("room")))).isFalse();
		assertThat(this.view.subscriberCount("room")).isOne();
	}

	@Test
	void aGapInSequenceNumbersAsksForAFullRead() {
		this.view.read("node-b", 10, Map.of());
		assertThat(this.view.apply(changes("node-b", 12, B1, Set.of("room")))).isFalse();
	}

	@Test
	void aFullReadReplacesTheNodesChannels() {
		this.view.read("node-b", 1, Map.of(B1.toString(), "room"));
		this.view.read("node-b", 2, Map.of(B2.toString(), "room\nother"));
		assertThat(this.view.subscribers("room")).containsExactly(B2);
		assertThat(this.view.subscriptions(B1)).isNull();
		assertThat(this.view.sequence("node-b")).isEqualTo(2);
	}

	@Test
	void changesMadeDuringAFullReadAreAppliedAgainOverIt() {
		this.view.readStarted("node-b");
		// Published after the read took the sequence number (7), before the hash arrived
		assertThat(this.view.apply(changes("node-b", 8, B2, Set.of("room")))).isTrue();
		this.view.read("node-b", 7, Map.of(B1.toString(), "room"));
		assertThat(this.view.subscribers("room")).containsExactlyInAnyOrder(B1, B2);
		assertThat(this.view.sequence("node-b")).isEqualTo(8);
	}

	@Test
	void changesAlreadyInAFullReadDoNotUndoIt() {
		this.view.readStarted("node-b");
		this.view.apply(changes("node-b", 7, B1, Set.of("room")));
		// The hash holds a later state of B1 than batch 7, which the read's number covers
		this.view.read("node-b", 8, Map.of(B1.toString(), "room\nlater"));
		assertThat(this.view.subscriptions(B1)).containsExactlyInAnyOrder("room", "later");
	}

	@Test
	void readsCountOnlyLiveNodes() {
		this.view.read("node-b", 1, Map.of(B1.toString(), "room"));
		this.view.read("node-c", 1, Map.of(C1.toString(), "room"));
		assertThat(this.view.subscriberCount("room")).isEqualTo(2);
		this.alive.remove("node-c");
		assertThat(this.view.subscriberCount("room")).isOne();
		assertThat(this.view.subscribers("room")).containsExactly(B1);
		assertThat(this.view.subscriptions(C1)).isNull();
		this.view.retainAlive();
		assertThat(this.view.sequence("node-c")).isEqualTo(-1);
	}

	private static ChannelChanges changes(String node, long sequence, Channel channel,
			@Nullable Set<String> subscriptions) {
		Map<Channel, @Nullable Set<String>> states = new LinkedHashMap<>();
		states.put(channel, subscriptions);
		return new ChannelChanges(node, sequence, states);
	}

}
