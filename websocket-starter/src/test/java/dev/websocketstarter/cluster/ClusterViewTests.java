package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.Presence;
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

	private final List<String> changes = new ArrayList<>();

	private final ClusterView view = new ClusterView(this.alive::contains, (app) -> app,
			(channel, state) -> this.changes.add(channel + "=" + ((state != null) ? state.subscriptions() : "gone")));

	@Test
	void changesOfANodeReadInFullApplyInOrder() {
		this.view.read("node-b", 10, Map.of());
		assertThat(this.view.apply(changes("node-b", 11, B1, Set.of("room")))).isTrue();
		assertThat(this.view.apply(changes("node-b", 12, B2, Set.of("room", "other")))).isTrue();
		assertThat(this.view.subscriberCount("chat", "room")).isEqualTo(2);
		assertThat(this.view.subscribers("chat", "other")).containsExactly(B2);
		assertThat(this.view.apply(changes("node-b", 13, B1, null))).isTrue();
		assertThat(this.view.subscribers("chat", "room")).containsExactly(B2);
		assertThat(this.view.state(B1)).isNull();
		assertThat(this.view.state(B2).subscriptions()).containsExactlyInAnyOrder("room", "other");
	}

	@Test
	void firstChangesOfAnUnknownNodeAskForAFullRead() {
		assertThat(this.view.apply(changes("node-b", 5, B1, Set.of("room")))).isFalse();
		assertThat(this.view.subscriberCount("chat", "room")).isOne();
	}

	@Test
	void aNodeFirstHeardOfInItsChangesStaysIncompleteUntilReadInFull() {
		assertThat(this.view.apply(changes("node-b", 5, B1, Set.of("room")))).isFalse();
		// The read asked for is skipped while the node is not known to be alive yet:
		// the next batch must not make the view look complete, nor the heartbeat's check
		assertThat(this.view.apply(changes("node-b", 6, B2, Set.of("room")))).isFalse();
		assertThat(this.view.sequence("node-b")).isEqualTo(-1);
		assertThat(this.view.subscriberCount("chat", "room")).isEqualTo(2);
		this.view.read("node-b", 6, Map.of(B1.toString(), hash("room"), B2.toString(), hash("room")));
		assertThat(this.view.apply(changes("node-b", 7, B1, null))).isTrue();
		assertThat(this.view.sequence("node-b")).isEqualTo(7);
	}

	@Test
	void aGapInSequenceNumbersAsksForAFullRead() {
		this.view.read("node-b", 10, Map.of());
		assertThat(this.view.apply(changes("node-b", 12, B1, Set.of("room")))).isFalse();
	}

	@Test
	void aFullReadReplacesTheNodesChannels() {
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("room")));
		this.view.read("node-b", 2, Map.of(B2.toString(), hash("room", "other")));
		assertThat(this.view.subscribers("chat", "room")).containsExactly(B2);
		assertThat(this.view.state(B1)).isNull();
		assertThat(this.view.sequence("node-b")).isEqualTo(2);
	}

	@Test
	void changesMadeDuringAFullReadAreAppliedAgainOverIt() {
		this.view.readStarted("node-b");
		// Published after the read took the sequence number (7), before the hash arrived
		assertThat(this.view.apply(changes("node-b", 8, B2, Set.of("room")))).isTrue();
		this.view.read("node-b", 7, Map.of(B1.toString(), hash("room")));
		assertThat(this.view.subscribers("chat", "room")).containsExactlyInAnyOrder(B1, B2);
		assertThat(this.view.sequence("node-b")).isEqualTo(8);
	}

	@Test
	void aFullReadOverlappingANewerBatchNeverTakesAChannelBackToAnOlderState() {
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("lobby")));
		this.view.readStarted("node-b");
		// Published after the read took the sequence number (1) and the hash
		this.view.apply(changes("node-b", 2, B1, Set.of("room")));
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("lobby")));
		assertThat(this.changes).containsExactly(B1 + "=[lobby]", B1 + "=[room]");
		assertThat(this.view.subscribers("chat", "lobby")).isEmpty();
		assertThat(this.view.sequence("node-b")).isEqualTo(2);
	}

	@Test
	void aChannelWhoseStateDidNotChangeIsNotReported() {
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("room")));
		this.view.apply(changes("node-b", 2, B1, Set.of("room")));
		this.view.read("node-b", 2, Map.of(B1.toString(), hash("room")));
		assertThat(this.changes).containsExactly(B1 + "=[room]");
	}

	@Test
	void changesAlreadyInAFullReadDoNotUndoIt() {
		this.view.readStarted("node-b");
		this.view.apply(changes("node-b", 7, B1, Set.of("room")));
		// The hash holds a later state of B1 than batch 7, which the read's number covers
		this.view.read("node-b", 8, Map.of(B1.toString(), hash("room", "later")));
		assertThat(this.view.state(B1).subscriptions()).containsExactlyInAnyOrder("room", "later");
	}

	@Test
	void readsCountOnlyLiveNodes() {
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("room")));
		this.view.read("node-c", 1, Map.of(C1.toString(), hash("room")));
		assertThat(this.view.subscriberCount("chat", "room")).isEqualTo(2);
		this.alive.remove("node-c");
		assertThat(this.view.subscriberCount("chat", "room")).isOne();
		assertThat(this.view.subscribers("chat", "room")).containsExactly(B1);
		assertThat(this.view.state(C1)).isNull();
		this.view.retainAlive();
		assertThat(this.view.sequence("node-c")).isEqualTo(-1);
	}

	@Test
	void everyChangeOfAChannelIsReportedAndAForgottenNodesChannelsAreGone() {
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("room")));
		this.view.apply(changes("node-b", 2, B2, Set.of("room")));
		this.view.apply(changes("node-b", 3, B1, null));
		assertThat(this.changes).containsExactly(B1 + "=[room]", B2 + "=[room]", B1 + "=gone");
		this.changes.clear();
		this.alive.remove("node-b");
		this.view.retainAlive();
		assertThat(this.changes).containsExactly(B2 + "=gone");
	}

	@Test
	void membersOfOtherNodesCarryTheirUserAndSharedAttributes() {
		this.view.read("node-b", 1,
				Map.of(B1.toString(), new ChannelState(Set.of("room"), Map.of("name", "Alice"), "alice").format()));
		List<Presence.Member> members = new ArrayList<>();
		this.view.addMembers("chat", "room", members);
		assertThat(members).containsExactly(new Presence.Member(B1, "alice", Map.of("name", "Alice")));
	}

	@Test
	void subscriptionsOfAnotherAppsScopeAreNotCounted() {
		Channel prices = new Channel("prices", "node-b", 3);
		this.view.read("node-b", 1, Map.of(B1.toString(), hash("room"), prices.toString(), hash("room")));
		assertThat(this.view.subscribers("chat", "room")).containsExactly(B1);
		assertThat(this.view.subscribers("prices", "room")).containsExactly(prices);
	}

	@Test
	void sharedAttributesOfAChannelAreRead() {
		this.view.read("node-b", 1,
				Map.of(B1.toString(), new ChannelState(Set.of("room"), Map.of("user", "alice")).format()));
		assertThat(this.view.state(B1).attributes()).containsEntry("user", "alice");
	}

	private static String hash(String... subscriptions) {
		return new ChannelState(Set.of(subscriptions), Map.of()).format();
	}

	private static ChannelChanges changes(String node, long sequence, Channel channel,
			@Nullable Set<String> subscriptions) {
		Map<Channel, @Nullable ChannelState> states = new LinkedHashMap<>();
		states.put(channel, (subscriptions != null) ? new ChannelState(subscriptions, Map.of()) : null);
		return new ChannelChanges(node, sequence, states);
	}

}
