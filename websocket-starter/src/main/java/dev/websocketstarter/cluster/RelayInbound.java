package dev.websocketstarter.cluster;

import java.util.Arrays;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.web.socket.CloseStatus;

/**
 * What other nodes publish, applied to this node, on the subscription's thread: channel
 * changes to the {@link ClusterView}, multicasts with history to their copies, and sends,
 * multicasts, subscribes and closes to this node's channels. What it does not understand
 * is logged and skipped.
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

	RelayInbound(String node, LocalNode localNode, byte[] changesTopic, RedisHistory history, ClusterView view,
			ViewReader viewReader, RelaySeal seal) {
		this.node = node;
		this.seal = seal;
		this.localNode = localNode;
		this.local = localNode.registry();
		this.changesTopic = changesTopic;
		this.history = history;
		this.view = view;
		this.viewReader = viewReader;
	}

	/**
	 * A publication came on one of this node's pub/sub channels.
	 */
	void received(Message message) {
		if (Arrays.equals(message.getChannel(), this.history.topic())) {
			// Sealed around the header and text, within the epoch and offset Redis gave
			try {
				this.history.received(message.getBody());
			}
			catch (RuntimeException ex) {
				logger.warn("Ignoring a multicast with history this node does not understand: " + ex);
			}
			return;
		}
		byte[] body = this.seal.open(message.getChannel(), message.getBody());
		if (body == null) {
			return;
		}
		if (Arrays.equals(message.getChannel(), this.changesTopic)) {
			changesReceived(body);
			return;
		}
		ClusterMessage received;
		try {
			received = ClusterMessage.decode(body);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring a relay message this node does not understand: " + ex.getMessage());
			return;
		}
		if (received.origin().equals(this.node)) {
			return;
		}
		try {
			deliver(received);
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering a relay message from node " + received.origin() + " failed", ex);
		}
	}

	private void changesReceived(byte[] body) {
		ChannelChanges changes;
		try {
			changes = ChannelChanges.decode(body);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring channel changes this node does not understand: " + ex.getMessage());
			return;
		}
		if (!changes.origin().equals(this.node) && !this.view.apply(changes)) {
			this.viewReader.read(changes.origin());
		}
	}

	private void deliver(ClusterMessage message) {
		switch (message.kind()) {
			case MULTICAST_TEXT -> scoped(message).multicast(message.name(), message.text(), message.exclude());
			case MULTICAST_BINARY -> scoped(message).multicast(message.name(), message.payload(), message.exclude());
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

	private ChannelRegistry scoped(ClusterMessage message) {
		return this.localNode.registry(message.scope());
	}

}
