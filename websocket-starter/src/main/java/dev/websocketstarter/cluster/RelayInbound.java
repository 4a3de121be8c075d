package dev.websocketstarter.cluster;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.web.socket.CloseStatus;

/**
 * What other nodes publish, applied to this node: channel changes to the
 * {@link ClusterView}, multicasts with history to their copies, and sends, multicasts,
 * subscribes and closes to this node's channels. What it does not understand is counted
 * and skipped, and reported once a minute: anyone who reaches a Redis without the relay's
 * secret can publish it as fast as Redis takes it.
 * <p>
 * Multicasts, messages to users and channel changes are applied on the thread that
 * received them, in order. What is meant for one node (sends, subscribes, unsubscribes,
 * closes) is applied in order on a thread of its own: a subscribe may wait there until
 * Redis acknowledged this node's subscription to the shard channel, an acknowledgement
 * that the receiving thread delivers.
 */
final class RelayInbound {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final String node;

	private final LocalNode localNode;

	private final ChannelRegistry local;

	private final byte[] changesTopic;

	private final RedisHistory history;

	private final ClusterView view;

	private final ViewReader viewReader;

	private final RelaySeal seal;

	private final Executor applier;

	private final LongAdder multicastsReceived = new LongAdder();

	private final LongAdder undecodable = new LongAdder();

	private volatile @Nullable String lastUndecodable;

	private final AtomicLong undecodableReported = new AtomicLong();

	RelayInbound(String node, LocalNode localNode, byte[] changesTopic, RedisHistory history, ClusterView view,
			ViewReader viewReader, RelaySeal seal, Executor applier) {
		this.node = node;
		this.seal = seal;
		this.localNode = localNode;
		this.local = localNode.registry();
		this.changesTopic = changesTopic;
		this.history = history;
		this.view = view;
		this.viewReader = viewReader;
		this.applier = applier;
	}

	/**
	 * The multicasts this node received from Redis, with history or not, its own
	 * included: only those of subscriptions it has subscribers for.
	 */
	long multicastsReceived() {
		return this.multicastsReceived.sum();
	}

	/**
	 * The publications this node received and did not understand.
	 */
	long undecodable() {
		return this.undecodable.sum();
	}

	/**
	 * Log what was not understood since the last report, if anything.
	 */
	void reportUndecodable() {
		long total = this.undecodable.sum();
		long since = total - this.undecodableReported.getAndSet(total);
		if (since > 0) {
			logger.warn("Cluster relay of node " + this.node + " dropped " + since
					+ " relay messages it does not understand in the last minute, the last " + this.lastUndecodable
					+ "; a node of another version of the starter, or someone who can reach Redis, published them");
		}
	}

	private void undecodable(String what, RuntimeException failure) {
		this.lastUndecodable = what + " (" + failure.getMessage() + ")";
		this.undecodable.increment();
	}

	/**
	 * A publication came on one of the shard channels of the subscriptions this node has
	 * subscribers for: a multicast, or a multicast with history, which begins with its
	 * epoch in base 36 where a relay message begins with its version or seal byte.
	 */
	void shardReceived(byte[] channel, byte[] body) {
		this.multicastsReceived.increment();
		if (body.length > 0 && isBase36(body[0])) {
			// Sealed around the header and text, within the epoch and offset Redis gave
			try {
				this.history.received(channel, body);
			}
			catch (RuntimeException ex) {
				undecodable("a multicast with history", ex);
			}
			return;
		}
		ClusterMessage received = open(channel, body);
		if (received != null) {
			deliver(received);
		}
	}

	private static boolean isBase36(byte first) {
		return (first >= '0' && first <= '9') || (first >= 'a' && first <= 'z');
	}

	/**
	 * A publication came on one of the pub/sub channels every node or this one receives.
	 */
	void received(Message message) {
		byte[] body = this.seal.open(message.getChannel(), message.getBody());
		if (body == null) {
			return;
		}
		if (Arrays.equals(message.getChannel(), this.changesTopic)) {
			changesReceived(body);
			return;
		}
		ClusterMessage received = decode(body);
		if (received == null || received.origin().equals(this.node)) {
			return;
		}
		switch (received.kind()) {
			case SEND_TEXT, SEND_BINARY, SUBSCRIBE, UNSUBSCRIBE, CLOSE -> apply(received);
			default -> deliver(received);
		}
	}

	private @Nullable ClusterMessage open(byte[] channel, byte[] sealed) {
		byte[] body = this.seal.open(channel, sealed);
		ClusterMessage received = (body != null) ? decode(body) : null;
		return (received != null && !received.origin().equals(this.node)) ? received : null;
	}

	private @Nullable ClusterMessage decode(byte[] body) {
		try {
			return ClusterMessage.decode(body);
		}
		catch (IllegalArgumentException ex) {
			undecodable("a relay message", ex);
			return null;
		}
	}

	private void changesReceived(byte[] body) {
		ChannelChanges changes;
		try {
			changes = ChannelChanges.decode(body);
		}
		catch (IllegalArgumentException ex) {
			undecodable("channel changes", ex);
			return;
		}
		if (!changes.origin().equals(this.node) && !this.view.apply(changes)) {
			this.viewReader.read(changes.origin());
		}
	}

	private void apply(ClusterMessage message) {
		try {
			this.applier.execute(() -> deliver(message));
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the channels are closing
		}
	}

	private void deliver(ClusterMessage message) {
		try {
			switch (message.kind()) {
				case MULTICAST_TEXT -> scoped(message).multicast(message.name(), message.text(), message.exclude());
				case MULTICAST_BINARY ->
					scoped(message).multicast(message.name(), message.payload(), message.exclude());
				case SEND_TEXT -> this.local.send(message.channel(), message.text());
				case SEND_BINARY -> this.local.send(message.channel(), message.payload());
				case SUBSCRIBE -> this.local.subscribe(message.channel(), message.name());
				case UNSUBSCRIBE -> this.local.unsubscribe(message.channel(), message.name());
				case CLOSE -> this.local.close(message.channel(), new CloseStatus(message.code(), message.text()));
				case USER_TEXT -> scoped(message).sendToUser(message.name(), message.text());
				case USER_BINARY -> scoped(message).sendToUser(message.name(), message.payload());
				case USER_CLOSE ->
					scoped(message).closeUser(message.name(), new CloseStatus(message.code(), message.text()));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering a relay message from node " + message.origin() + " failed", ex);
		}
	}

	private ChannelRegistry scoped(ClusterMessage message) {
		return this.localNode.registry(message.scope());
	}

}
