package dev.websocketstarter.benchmarks.decorator;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Relays each text message to every other open session.
 */
class RelayHandler extends TextWebSocketHandler {

	private static final int SEND_TIME_LIMIT = 10_000;

	private static final int BUFFER_SIZE_LIMIT = 512 * 1024;

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.sessions.put(session.getId(),
				new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT, BUFFER_SIZE_LIMIT));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		for (WebSocketSession other : this.sessions.values()) {
			if (!other.getId().equals(session.getId())) {
				try {
					other.sendMessage(message);
				}
				catch (IOException | RuntimeException ex) {
					// A slow or broken peer: the decorator closes it, the others go on
				}
			}
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.remove(session.getId());
	}

}
