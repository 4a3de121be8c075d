package dev.websocketstarter.internal.channel;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.WebSocketProtocolException;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.Handshake;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The events of one channel's connection: what the channel does with them, and what the
 * app's {@link ChannelHandler} hears of them. The one place where what the handler throws
 * is caught: the channel is closed with 1011.
 */
final class ChannelEvents implements ConnectionHandler {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

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
		if (!this.node.admit(this.channel)) {
			return;
		}
		Handshake handshake = new Handshake(this.channel.url, request.uri(), request.principal(),
				queryParameters(request.uri()), request.headers(), request.remoteAddress());
		invoke("onOpen", () -> this.handler.onOpen(this.channel.handle, handshake));
	}

	private static MultiValueMap<String, String> queryParameters(URI uri) {
		MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
		if (uri.getRawQuery() != null) {
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
	public void onText(String text, int size) {
		this.channel.received(true);
		if (this.channel.isOpen()) {
			this.channel.stats.received(size);
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
			invoke("onClose", () -> this.handler.onClose(this.channel.handle, reported));
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
