package dev.websocketstarter.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.WebSocketProtocolException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Serves one URL of a WebSocket app: registers each connection as a channel of the
 * {@link LocalNode}, joins message parts up to {@code max-message-size}, and passes
 * events to the app's {@link ChannelHandler}.
 */
final class ChannelWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private static final String CHANNEL_ATTRIBUTE = LocalChannel.class.getName();

	private final LocalNode node;

	private final AppSettings app;

	private final String url;

	private final ChannelHandler handler;

	ChannelWebSocketHandler(LocalNode node, AppSettings app, String url, ChannelHandler handler) {
		this.node = node;
		this.app = app;
		this.url = url;
		this.handler = handler;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		LocalChannel channel = this.node.open(session, this.app, this.url);
		session.getAttributes().put(CHANNEL_ATTRIBUTE, channel);
		if (!this.node.admit(channel)) {
			return;
		}
		Handshake handshake = new Handshake(this.url, uri(session), session.getPrincipal(),
				queryParameters(session.getUri()), session.getHandshakeHeaders(), session.getRemoteAddress());
		invoke(channel, "onOpen", () -> this.handler.onOpen(channel.handle, handshake));
	}

	private static URI uri(WebSocketSession session) {
		URI uri = session.getUri();
		return (uri != null) ? uri : URI.create("");
	}

	private static MultiValueMap<String, String> queryParameters(@Nullable URI uri) {
		MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
		if (uri != null && uri.getRawQuery() != null) {
			UriComponentsBuilder.fromUri(uri).build().getQueryParams().forEach((name, values) -> {
				for (String value : values) {
					decoded.add(decode(name), (value != null) ? decode(value) : "");
				}
			});
		}
		return decoded;
	}

	private static String decode(String value) {
		return UriUtils.decode(value, StandardCharsets.UTF_8);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		LocalChannel channel = channel(session);
		if (channel == null) {
			return;
		}
		boolean data = !(message instanceof PongMessage);
		channel.received(data);
		if (!data || !channel.isOpen()) {
			return;
		}
		try {
			if (message instanceof TextMessage text) {
				String whole = channel.inbound.text(text.getPayload(), text.isLast());
				if (whole != null) {
					channel.stats.received(channel.inbound.completedSize());
					invoke(channel, "onText", () -> this.handler.onText(channel.handle, whole));
				}
			}
			else if (message instanceof BinaryMessage binary) {
				byte[] whole = channel.inbound.binary(binary.getPayload(), binary.isLast());
				if (whole != null) {
					channel.stats.received(whole.length);
					invoke(channel, "onBinary", () -> this.handler.onBinary(channel.handle, whole));
				}
			}
		}
		catch (InboundAssembler.TooBigException ex) {
			if (this.node.forceClose(channel, CloseStatus.TOO_BIG_TO_PROCESS.withReason("Message too big"))) {
				logger.info("Closing channel " + channel + " with 1009: it sent a message larger than"
						+ " max-message-size " + this.app.maxMessageSize());
			}
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		LocalChannel channel = channel(session);
		if (channel == null) {
			return;
		}
		if (exception instanceof WebSocketProtocolException protocol
				&& protocol.closeCode() == CloseCodes.MESSAGE_TOO_BIG) {
			// The starter's transport closes it; the container's sends parts that the
			// assembler refuses, as handleMessage logs
			logger.info("Closing channel " + channel + " with 1009: it sent a message larger than"
					+ " max-message-size " + this.app.maxMessageSize());
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on channel " + channel + ": " + exception);
		}
		invoke(channel, "onError", () -> this.handler.onError(channel.handle, exception));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		LocalChannel channel = channel(session);
		if (channel != null) {
			CloseStatus reported = channel.closeStatus(status);
			if (this.node.closed(channel, reported)) {
				invoke(channel, "onClose", () -> this.handler.onClose(channel.handle, reported));
			}
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static @Nullable LocalChannel channel(WebSocketSession session) {
		return (LocalChannel) session.getAttributes().get(CHANNEL_ATTRIBUTE);
	}

	private void invoke(LocalChannel channel, String callback, Runnable call) {
		try {
			// onClose may come from a writer thread while the container thread is still
			// in onText
			synchronized (channel) {
				call.run();
			}
		}
		catch (RuntimeException ex) {
			channel.stats.handlerError();
			logger.warn("Handler of app '" + this.app.name() + "' failed in " + callback + " on channel " + channel
					+ "; closing it with 1011", ex);
			this.node.forceClose(channel, CloseStatus.SERVER_ERROR.withReason("Internal error"));
		}
	}

	@Override
	public String toString() {
		return "ChannelWebSocketHandler[app=" + this.app.name() + ", url=" + this.url + "]";
	}

}
