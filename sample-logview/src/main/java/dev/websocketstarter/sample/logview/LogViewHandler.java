package dev.websocketstarter.sample.logview;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.WebSocketApp;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The viewers' protocol: {@code {"follow": "<name>", "from": "<position>"}} and
 * {@code {"unfollow": "<name>"}}. Clients only ever name configured files; nothing a
 * viewer sends reaches another viewer.
 */
@Component
@WebSocketApp("log-view")
class LogViewHandler implements ChannelHandler {

	private final ChannelRegistry registry;

	private final LogFiles files;

	private final JsonMapper json;

	LogViewHandler(ChannelRegistry registry, LogFiles files, JsonMapper json) {
		this.registry = registry;
		this.files = files;
		this.json = json;
	}

	@Override
	public void onOpen(Channel channel, Handshake handshake) {
		this.registry.send(channel, this.files.filesFrame());
	}

	@Override
	public void onText(Channel channel, String text) {
		JsonNode request;
		try {
			request = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			reject(channel, "invalid-json", "Send {\"follow\": \"<name>\"} or {\"unfollow\": \"<name>\"}.");
			return;
		}
		JsonNode follow = request.path("follow");
		JsonNode unfollow = request.path("unfollow");
		if (follow.isString()) {
			JsonNode from = request.path("from");
			if (!this.files.follow(channel, follow.stringValue(), from.isString() ? from.stringValue() : null)) {
				unknownFile(channel, follow.stringValue());
			}
		}
		else if (unfollow.isString()) {
			if (this.files.names().contains(unfollow.stringValue())) {
				this.files.unfollow(channel, unfollow.stringValue());
			}
			else {
				unknownFile(channel, unfollow.stringValue());
			}
		}
		else {
			reject(channel, "invalid-request", "Send {\"follow\": \"<name>\"} or {\"unfollow\": \"<name>\"}.");
		}
	}

	private void unknownFile(Channel channel, String name) {
		reject(channel, "unknown-file", "There is no file '" + name + "'; choose one of " + this.files.names() + ".");
	}

	private void reject(Channel channel, String error, String message) {
		this.registry.send(channel, this.files.errorFrame(error, message));
	}

}
