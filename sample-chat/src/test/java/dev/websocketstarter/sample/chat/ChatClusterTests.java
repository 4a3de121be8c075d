package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.websocketstarter.cluster.ClusterRelay;
import dev.websocketstarter.cluster.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the chat as two nodes on one real Redis server: a name is one member's on
 * every node, counts and messages span the nodes, and while Redis is down a newcomer is
 * told to come back rather than given a name another node may hold.
 */
class ChatClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String ROOM = "/websocket/chat";

	private static RedisServer redis;

	private static ConfigurableApplicationContext one;

	private static ConfigurableApplicationContext two;

	private final List<ChatClient> clients = new ArrayList<>();

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		one = start("chat-1", redis);
		two = start("chat-2", redis);
		ChatNodes.awaitEachOther(one, two);
	}

	@AfterAll
	static void stopNodes() {
		for (AutoCloseable closeable : new AutoCloseable[] { one, two, redis }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	@AfterEach
	void leave() {
		this.clients.forEach(ChatClient::close);
		await().atMost(WAIT).untilAsserted(() -> assertThat(one.getBean(ChatHandler.class).memberCount(ROOM)).isZero());
	}

	@Test
	void nameTakenOnOneNodeGetsASuffixOnTheOtherAndMembersAreCountedOnBoth() {
		ChatClient alice = join(one, "alice");
		ChatClient secondAlice = join(two, "alice");
		assertThat(alice.name()).isEqualTo("alice");
		assertThat(secondAlice.name()).isEqualTo("alice (2)");
		assertThat(secondAlice.welcome().get("members").intValue()).isEqualTo(2);
		await().atMost(WAIT).until(() -> alice.joined().contains("alice (2)"));
		assertThat(alice.members()).isEqualTo(2);
	}

	@Test
	void messagesReachTheMembersOnBothNodes() {
		ChatClient bob = join(one, "bob");
		ChatClient carol = join(two, "carol");
		carol.say("from node two");
		bob.awaitText("from node two");
		bob.say("from node one");
		carol.awaitText("from node one");
	}

	@Test
	void memberWhoReconnectsToTheOtherNodeGetsEveryMessageItMissedOnce() {
		ChatClient bob = join(one, "bob");
		ChatClient carol = join(two, "carol");
		bob.say("before");
		carol.awaitText("before");
		String position = carol.position(ROOM);
		carol.close();
		IntStream.rangeClosed(1, 3).forEach((i) -> bob.say("missed " + i));
		bob.awaitText("missed 3");

		ChatClient back = ChatClient.rejoin(port(one), ROOM, "carol", position);
		this.clients.add(back);
		back.awaitText("missed 3");
		assertThat(back.subscribed().get(0).get("recovery").stringValue()).isEqualTo("recovered");
		assertThat(back.texts()).containsExactly("missed 1", "missed 2", "missed 3");
	}

	@Test
	void membersJoiningUnderOneNameAtOnceOnBothNodesGetDistinctNames() {
		List<CompletableFuture<ChatClient>> joining = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			ConfigurableApplicationContext node = (i % 2 == 0) ? one : two;
			joining.add(CompletableFuture.supplyAsync(() -> join(node, "dave")));
		}
		List<String> names = joining.stream().map(CompletableFuture::join).map(ChatClient::name).toList();
		assertThat(names).doesNotHaveDuplicates().hasSize(8).contains("dave");
	}

	@Test
	void nameIsFreeOnTheOtherNodeOnceItsMemberLeaves() {
		ChatClient erin = join(one, "erin");
		erin.close();
		await().atMost(WAIT).untilAsserted(() -> {
			ChatClient again = join(two, "erin");
			assertThat(again.name()).isEqualTo("erin");
		});
	}

	@Test
	void whileRedisIsDownANewcomerIsClosedWith1013AndJoinsOnceItIsBack() {
		try (RedisServer own = RedisServer.start(); ConfigurableApplicationContext node = start("chat-alone", own)) {
			await().atMost(WAIT).until(() -> relay(node).state() == ClusterRelay.State.UP);
			own.stop();
			await().atMost(WAIT).until(() -> relay(node).state() == ClusterRelay.State.DOWN);

			ChatClient refused = ChatClient.connect(port(node), ROOM, "frank");
			this.clients.add(refused);
			assertThat(refused.awaitClose()).isEqualTo(new CloseStatus(1013, "Try again later"));
			assertThat(refused.frames("welcome")).isEmpty();

			own.restart();
			await().atMost(WAIT).until(() -> relay(node).state() == ClusterRelay.State.UP);
			ChatClient frank = ChatClient.join(port(node), ROOM, "frank");
			this.clients.add(frank);
			assertThat(frank.name()).isEqualTo("frank");
		}
	}

	private ChatClient join(ConfigurableApplicationContext node, String name) {
		ChatClient client = ChatClient.join(port(node), ROOM, name);
		this.clients.add(client);
		return client;
	}

	private static ConfigurableApplicationContext start(String nodeId, RedisServer redis) {
		return ChatNodes.start(nodeId, redis);
	}

	private static ClusterRelay relay(ConfigurableApplicationContext node) {
		return ChatNodes.relay(node);
	}

	private static int port(ConfigurableApplicationContext node) {
		return ChatNodes.port(node);
	}

}
