package dev.websocketstarter.internal.channel;

import java.security.Principal;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.WebSocketProtocolException;
import dev.websocketstarter.internal.history.RecoveryPositions;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.Handshake;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * The events of one channel's connection: what the channel does with them, and what the
 * app's {@link ChannelHandler} hears of them. The one place where what the handler throws
 * is caught: the channel is closed with 1011.
 */
final class ChannelEvents implements ConnectionHandler {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	/** A client's heartbeat, answered by the starter and never seen by the handler. */
	static final String HEARTBEAT = "{\"ws\":\"ping\"}";

	private static final Outbound HEARTBEAT_ANSWER = Outbound.text("{\"ws\":\"pong\"}");

	private final LocalNode node;

	private final LocalChannel channel;

	private final ChannelHandler handler;

	ChannelEvents(LocalNode node, LocalChannel channel, ChannelHandler handler) {
		this.node = node;
		this.channel = channel;
		this.handler = handler;
	}

	@Override
	public void onOpen(UpgradeRequest request) {
		AcceptedHandshake accepted = accepted(request);
		Principal principal = request.principal();
		this.channel.user = (principal != null) ? principal.getName() : null;
		Handshake handshake;
		if (accepted != null) {
			handshake = accepted.handshake();
			accepted.attributes().forEach(this::setAttribute);
		}
		else {
			handshake = Handshake.of(this.channel.url, request.uri(), request.principal(), request.headers(),
					request.remoteAddress());
		}
		if (this.channel.app.history().isOn()) {
			RecoveryPositions positions = RecoveryPositions
				.parse(handshake.queryParameters().get(RecoveryPositions.PARAMETER));
			if (positions != null) {
				this.channel.attributes.set(RecoveryPositions.ATTRIBUTE, positions);
			}
		}
		if (!admit(this.channel)) {
			return;
		}
		if (accepted != null && accepted.session() != null && this.channel.app.closeWithSession()) {
			this.node.loginSessions().bind(this.channel, accepted.session());
		}
		invoke("onOpen", () -> this.handler.onOpen(this.channel.handle, handshake));
		this.node.autoSubscribe(this.channel);
	}

	/**
	 * Let a registered channel in, or close it with 1013 when concurrent handshakes let
	 * it through beyond the app's {@code max-connections}; its handler then never hears
	 * of it. Called once the connection can find its channel, as the close may be
	 * reported at once.
	 * @return whether the channel was let in
	 */
	private boolean admit(LocalChannel channel) {
		AppSettings app = channel.app;
		if (app.limitsConnections() && this.node.stats().channels(app.name()) > app.maxConnections()) {
			channel.notifyClosedOnce();
			channel.stats.handshakeRefused(AppStats.HandshakeRefusal.MAX_CONNECTIONS);
			this.node.forceClose(channel, CloseStatus.SERVICE_OVERLOAD.withReason("Too many connections"));
			logger.info("Closing channel " + channel + " with 1013: app '" + app.name() + "' is at max-connections "
					+ app.maxConnections());
			return false;
		}
		channel.stats.channelOpened();
		this.node.index().addUser(channel);
		this.node.changed(channel.handle);
		if (logger.isDebugEnabled()) {
			logger.debug("Opened channel " + channel + " on " + channel.url + " from " + channel.remoteAddress());
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private void setAttribute(ChannelAttribute<?> attribute, Object value) {
		this.channel.attributes.set((ChannelAttribute<Object>) attribute, value);
	}

	/**
	 * What the app decided at the handshake, taken out of the connection's attributes,
	 * which outlive it.
	 */
	private static @Nullable AcceptedHandshake accepted(UpgradeRequest request) {
		Object accepted = request.attributes().get(AcceptedHandshake.ATTRIBUTE);
		if (accepted instanceof AcceptedHandshake handshake) {
			request.attributes().remove(AcceptedHandshake.ATTRIBUTE);
			return handshake;
		}
		return null;
	}

	@Override
	public void onText(String text, int size) {
		this.channel.received(true);
		if (this.channel.isOpen()) {
			this.channel.stats.received(size);
			if (text.equals(HEARTBEAT)) {
				// A browser cannot ping: the starter's client sends this instead
				this.channel.enqueue(HEARTBEAT_ANSWER, System.nanoTime());
				return;
			}
			invoke("onText", () -> this.handler.onText(this.channel.handle, text));
		}
	}

	@Override
	public void onBinary(byte[] data) {
		this.channel.received(true);
		if (this.channel.isOpen()) {
			this.channel.stats.received(data.length);
			invoke("onBinary", () -> this.handler.onBinary(this.channel.handle, data));
		}
	}

	@Override
	public void onMessageStarted() {
		this.channel.messageStarted();
	}

	@Override
	public void onPong() {
		this.channel.received(false);
	}

	@Override
	public void onWritable() {
		this.channel.writePossible();
	}

	@Override
	public void onError(Throwable error) {
		if (error instanceof WebSocketProtocolException protocol) {
			// The starter's transport has sent its close frame already; a container's
			// gets it through the writer
			boolean closing = this.node.forceClose(this.channel,
					new CloseStatus(protocol.closeCode(), String.valueOf(protocol.getMessage())));
			if (protocol.closeCode() == CloseCodes.MESSAGE_TOO_BIG) {
				if (closing) {
					logger.info("Closing channel " + this.channel + " with 1009: it sent a message larger than"
							+ " max-message-size " + this.channel.app.maxMessageSize());
				}
				return;
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on channel " + this.channel + ": " + error);
		}
		invoke("onError", () -> this.handler.onError(this.channel.handle, error));
	}

	@Override
	public void onClosed(CloseStatus status) {
		CloseStatus reported = this.channel.closeStatus(status);
		if (this.node.closed(this.channel, reported)) {
			this.node.whileClosing(this.channel,
					() -> invoke("onClose", () -> this.handler.onClose(this.channel.handle, reported)));
		}
	}

	private void invoke(String callback, Runnable call) {
		try {
			// onClose may come from a writer thread while the container thread is still
			// in onText
			synchronized (this.channel) {
				call.run();
			}
		}
		catch (RuntimeException ex) {
			this.channel.stats.handlerError();
			logger.warn("Handler of app '" + this.channel.app.name() + "' failed in " + callback + " on channel "
					+ this.channel + "; closing it with 1011", ex);
			this.node.forceClose(this.channel, CloseStatus.SERVER_ERROR.withReason("Internal error"));
		}
	}

	@Override
	public String toString() {
		return "ChannelEvents[" + this.channel + "]";
	}

}
