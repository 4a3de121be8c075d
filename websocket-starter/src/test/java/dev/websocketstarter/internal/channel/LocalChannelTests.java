package dev.websocketstarter.internal.channel;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.OverflowPolicy;
import dev.websocketstarter.registry.SendResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LocalChannel}'s writer and close, driving a {@link ScriptedConnection}
 * through a real {@link LocalNode} and its writer threads, without sockets.
 */
class LocalChannelTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final LocalNode node = new LocalNode("test", 2, Duration.ZERO, Duration.ofSeconds(1));

	private final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

	private final AtomicReference<Channel> channel = new AtomicReference<>();

	@AfterEach
	void stopNode() {
		this.node.stop();
	}

	@Test
	void messagesGoOutInTheOrderTheyWereQueued() {
		ScriptedConnection connection = open(false, DataSize.ofKilobytes(512), OverflowPolicy.CLOSE);
		IntStream.range(0, 1000).forEach((i) -> send("m" + i));
		await().atMost(WAIT).until(() -> connection.frames.size() == 1000);
		assertThat(connection.frames)
			.containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj((i) -> "m" + i).toList());
	}

	@Test
	void oneWriteTakesAtMostABatchSoABusyChannelDoesNotHoldAWriter() {
		ScriptedConnection connection = open(false, DataSize.ofKilobytes(512), OverflowPolicy.CLOSE);
		connection.fill();
		IntStream.range(0, 600).forEach((i) -> send("m" + i));
		connection.makeRoom(Integer.MAX_VALUE);
		await().atMost(WAIT).until(() -> connection.frames.size() == 600);
		assertThat(connection.batches).allSatisfy((batch) -> assertThat(batch).isLessThanOrEqualTo(256));
	}

	@Test
	void fullOutputPausesTheWriterUntilItIsWritableAgain() {
		ScriptedConnection connection = open(false, DataSize.ofKilobytes(512), OverflowPolicy.CLOSE);
		connection.fill();
		IntStream.range(0, 10).forEach((i) -> send("m" + i));
		connection.makeRoom(4);
		await().atMost(WAIT).until(() -> connection.frames.size() == 4);
		assertThat(this.node.stats().queuedBytes("app")).isEqualTo(6 * 2);
		connection.makeRoom(Integer.MAX_VALUE);
		await().atMost(WAIT).until(() -> connection.frames.size() == 10);
		assertThat(connection.frames).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
	}

	@Test
	void gracefulCloseComesAfterEveryQueuedMessage() {
		ScriptedConnection connection = open(false, DataSize.ofKilobytes(512), OverflowPolicy.CLOSE);
		connection.fill();
		IntStream.range(0, 10).forEach((i) -> send("m" + i));
		assertThat(this.node.registry().close(this.channel.get(), new CloseStatus(4000, "done"))).isTrue();
		assertThat(send("late")).isEqualTo(SendResult.CLOSED);
		connection.makeRoom(Integer.MAX_VALUE);
		await().atMost(WAIT).until(() -> connection.closedWith() != null);
		assertThat(connection.frames).hasSize(10).last().isEqualTo("m9");
		assertThat(connection.closedWith()).isEqualTo(new CloseStatus(4000, "done"));
		await().atMost(WAIT).until(() -> !this.closes.isEmpty());
		assertThat(this.closes).containsExactly(new CloseStatus(4000, "done"));
		assertThat(this.node.channelCount()).isZero();
	}

	@Test
	void queuePastTheLimitUnderCloseRejectsAndClosesWith1008DiscardingTheQueue() {
		ScriptedConnection connection = open(false, DataSize.ofBytes(10), OverflowPolicy.CLOSE);
		connection.fill();
		assertThat(send("12345")).isEqualTo(SendResult.QUEUED);
		assertThat(send("67890")).isEqualTo(SendResult.QUEUED);
		assertThat(send("x")).isEqualTo(SendResult.REJECTED);
		assertThat(this.node.registry().isOpen(this.channel.get())).isFalse();
		connection.makeRoom(Integer.MAX_VALUE);
		await().atMost(WAIT).until(() -> connection.closedWith() != null);
		assertThat(connection.frames).isEmpty();
		assertThat(connection.closedWith().getCode()).isEqualTo(1008);
		assertThat(this.node.stats().app("app").slowConsumers()).isOne();
	}

	@Test
	void queuePastTheLimitUnderDropOldestKeepsTheNewestAndCountsTheDropped() {
		ScriptedConnection connection = open(false, DataSize.ofBytes(10), OverflowPolicy.DROP_OLDEST);
		connection.fill();
		IntStream.range(0, 20).forEach((i) -> assertThat(send(String.format("%02d", i))).isEqualTo(SendResult.QUEUED));
		connection.makeRoom(Integer.MAX_VALUE);
		await().atMost(WAIT).until(() -> connection.frames.size() == 5);
		assertThat(connection.frames).containsExactly("15", "16", "17", "18", "19");
		assertThat(this.node.stats().app("app").messagesDropped()).isEqualTo(15);
		assertThat(this.node.registry().isOpen(this.channel.get())).isTrue();
	}

	@Test
	void closeReportedByTheConnectionReachesTheHandlerOnce() {
		ScriptedConnection connection = open(false, DataSize.ofKilobytes(512), OverflowPolicy.CLOSE);
		connection.abort();
		connection.abort();
		assertThat(this.closes).containsExactly(CloseStatus.NO_CLOSE_FRAME);
		assertThat(this.node.registry().isOpen(this.channel.get())).isFalse();
		assertThat(this.node.subscriptionCounts()).isEmpty();
	}

	@Test
	void handlerThatThrowsClosesItsChannelWith1011() {
		ScriptedConnection connection = new ScriptedConnection(false);
		ChannelHandler throwing = new ChannelHandler() {

			@Override
			public void onText(Channel channel, String text) {
				throw new IllegalStateException("handler bug");
			}

		};
		ConnectionHandler events = this.node
			.acceptor(settings(DataSize.ofKilobytes(512), OverflowPolicy.CLOSE), "/app", throwing)
			.accept(connection);
		connection.handler(events);
		events.onOpen(request());
		events.onText("boom", 4);
		await().atMost(WAIT).until(() -> connection.closedWith() != null);
		assertThat(connection.closedWith().getCode()).isEqualTo(1011);
		assertThat(this.node.stats().app("app").handlerErrors()).isOne();
	}

	private SendResult send(String text) {
		return this.node.registry().send(this.channel.get(), text);
	}

	private ScriptedConnection open(boolean blocks, DataSize sendBufferLimit, OverflowPolicy overflow) {
		this.node.start();
		ScriptedConnection connection = new ScriptedConnection(blocks);
		ChannelHandler handler = new ChannelHandler() {

			@Override
			public void onOpen(Channel channel, Handshake handshake) {
				LocalChannelTests.this.channel.set(channel);
			}

			@Override
			public void onClose(Channel channel, CloseStatus status) {
				LocalChannelTests.this.closes.add(status);
			}

		};
		ConnectionHandler events = this.node.acceptor(settings(sendBufferLimit, overflow), "/app", handler)
			.accept(connection);
		connection.handler(events);
		events.onOpen(request());
		assertThat(this.channel.get()).isNotNull();
		return connection;
	}

	private static AppSettings settings(DataSize sendBufferLimit, OverflowPolicy overflow) {
		return new AppSettings("app", List.of("/app"), List.of(), DataSize.ofKilobytes(64), Duration.ZERO,
				Duration.ZERO, sendBufferLimit, Duration.ofSeconds(10), overflow, true, 0, false, "app", true, false,
				Duration.ZERO, HistorySettings.NONE, Duration.ZERO);
	}

	private static UpgradeRequest request() {
		return new UpgradeRequest(URI.create("ws://localhost/app"), null, new HttpHeaders(), null, Map.of());
	}

}
