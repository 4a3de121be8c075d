package dev.websocketstarter.internal.container;

import java.net.URI;
import java.time.Duration;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.WebSocketProtocolException;
import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Serves one URL of an app on the container's WebSocket layer: each session becomes a
 * {@link ContainerConnection} handed to the URL's acceptor, and its messages, which the
 * container delivers in parts, are joined up to {@code max-message-size} before they go
 * on. The starter's own transport takes the acceptor from here too, and skips the rest.
 */
public final class ContainerWebSocketHandler implements WebSocketHandler, ConnectionAcceptor {

	private static final String STATE_ATTRIBUTE = ContainerWebSocketHandler.class.getName();

	private final ConnectionAcceptor acceptor;

	private final long maxMessageSize;

	private final Duration sendTimeLimit;

	/**
	 * Create a handler for one URL of an app.
	 * @param acceptor what takes the URL's connections
	 * @param maxMessageSize the largest inbound message, in bytes
	 * @param sendTimeLimit the longest a blocked write may take
	 */
	public ContainerWebSocketHandler(ConnectionAcceptor acceptor, long maxMessageSize, Duration sendTimeLimit) {
		this.acceptor = acceptor;
		this.maxMessageSize = maxMessageSize;
		this.sendTimeLimit = sendTimeLimit;
	}

	@Override
	public ConnectionHandler accept(Connection connection) {
		return this.acceptor.accept(connection);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		ConnectionHandler handler = this.acceptor.accept(new ContainerConnection(session, this.sendTimeLimit));
		// Before onOpen: a close it asks for may be reported at once
		session.getAttributes().put(STATE_ATTRIBUTE, new State(handler, new InboundAssembler(this.maxMessageSize)));
		URI uri = session.getUri();
		handler.onOpen(new UpgradeRequest((uri != null) ? uri : URI.create(""), session.getPrincipal(),
				session.getHandshakeHeaders(), session.getRemoteAddress(), session.getAttributes()));
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		State state = state(session);
		if (state == null) {
			return;
		}
		if (message instanceof PongMessage) {
			state.handler().onPong();
			return;
		}
		boolean first = !state.inbound().inProgress();
		try {
			if (message instanceof TextMessage text) {
				String whole = state.inbound().text(text.getPayload(), text.isLast());
				if (whole != null) {
					state.handler().onText(whole, (int) state.inbound().completedSize());
				}
				else if (first) {
					state.handler().onMessageStarted();
				}
			}
			else if (message instanceof BinaryMessage binary) {
				byte[] whole = state.inbound().binary(binary.getPayload(), binary.isLast());
				if (whole != null) {
					state.handler().onBinary(whole);
				}
				else if (first) {
					state.handler().onMessageStarted();
				}
			}
		}
		catch (InboundAssembler.TooBigException ex) {
			state.handler().onError(new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG, "Message too big"));
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		State state = state(session);
		if (state != null) {
			state.handler().onError(exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		State state = state(session);
		if (state != null) {
			state.handler().onClosed(status);
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static @Nullable State state(WebSocketSession session) {
		return (State) session.getAttributes().get(STATE_ATTRIBUTE);
	}

	@Override
	public String toString() {
		return "ContainerWebSocketHandler[" + this.acceptor + "]";
	}

	private record State(ConnectionHandler handler, InboundAssembler inbound) {
	}

}
