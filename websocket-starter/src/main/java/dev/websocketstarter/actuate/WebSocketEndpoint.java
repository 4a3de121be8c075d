package dev.websocketstarter.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.Histories;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.web.socket.CloseStatus;

/**
 * The {@code websocket} Actuator endpoint: the apps with their URLs, options and channel
 * counts, the subscriptions with their subscriber counts, and a write operation that
 * closes a channel. Exposed only as configured, like every endpoint
 * ({@code management.endpoints.web.exposure.include=websocket}); read-only unless
 * {@code management.endpoint.websocket.access=unrestricted}, as closing users is for
 * operators who asked for it.
 */
@Endpoint(id = "websocket", defaultAccess = Access.READ_ONLY)
public class WebSocketEndpoint {

	/** What fits in a close frame's 125 bytes of payload after the code. */
	private static final int MAX_REASON_BYTES = 123;

	private final LocalNode node;

	private final List<AppSettings> apps;

	/**
	 * Create the endpoint.
	 * @param node the node to describe and act on
	 * @param apps the apps that are on
	 */
	public WebSocketEndpoint(LocalNode node, Collection<AppSettings> apps) {
		this.node = node;
		this.apps = List.copyOf(apps);
	}

	/**
	 * Describe this node's WebSocket apps.
	 * @return the description
	 */
	@ReadOperation
	public NodeDescriptor describe() {
		Map<String, AppDescriptor> apps = new LinkedHashMap<>();
		this.apps.stream()
			.sorted((left, right) -> left.name().compareTo(right.name()))
			.forEach((app) -> apps.put(app.name(), describe(app)));
		Map<String, HistorySize> histories = new TreeMap<>();
		for (Histories.Size size : this.node.histories().sizes()) {
			histories.put(size.scope() + ":" + size.subscription(), new HistorySize(size.messages(), size.bytes()));
		}
		return new NodeDescriptor(this.node.node(), this.node.channelCount(), apps, this.node.subscriptionCounts(),
				histories);
	}

	private AppDescriptor describe(AppSettings app) {
		AppStats stats = this.node.stats().app(app.name());
		return new AppDescriptor(app.urls(),
				new Options(app.allowedOrigins(), app.maxMessageSize().toBytes(), app.idleTimeout(), app.pingInterval(),
						app.sendBufferLimit().toBytes(), app.sendTimeLimit(), app.overflow(), app.autoSubscribe(),
						app.maxConnections()),
				this.node.stats().channels(app.name()), new Totals(stats.opened(), stats.messagesReceived(),
						stats.messagesSent(), stats.messagesDropped(), stats.slowConsumers(), stats.handlerErrors()));
	}

	/**
	 * Close a channel after the messages queued to it are written.
	 * @param channel the channel handle as printed, such as {@code chat#17@node-1}
	 * @param code the close code, 1000 when not given
	 * @param reason the close reason, empty when not given
	 * @return whether the channel was open and is now closing
	 */
	@WriteOperation
	public CloseResult close(String channel, @Nullable Integer code, @Nullable String reason) {
		Channel handle;
		try {
			handle = Channel.parse(channel);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()),
					"Not a channel handle such as 'chat#17@node-1'");
		}
		int closeCode = (code != null) ? code : CloseStatus.NORMAL.getCode();
		if (!CloseCodes.isValidOnWire(closeCode)) {
			throw new InvalidEndpointRequestException("Close code " + closeCode + " cannot be sent",
					"Use a close code such as 1000, 1001 or 1008, or one from 3000 to 4999");
		}
		if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
			throw new InvalidEndpointRequestException("Close reason too long",
					"Use a reason of at most " + MAX_REASON_BYTES + " bytes in UTF-8");
		}
		return new CloseResult(channel, this.node.registry().close(handle, new CloseStatus(closeCode, reason)));
	}

	/**
	 * A node's apps and subscriptions.
	 *
	 * @param node the node identifier
	 * @param channels the channels this node holds
	 * @param apps the apps that are on, by name
	 * @param subscriptions the subscriptions with their subscriber counts
	 * @param histories the subscriptions that keep history on this node, with what they
	 * keep
	 */
	public record NodeDescriptor(String node, int channels, Map<String, AppDescriptor> apps,
			Map<String, Integer> subscriptions, Map<String, HistorySize> histories) {
	}

	/**
	 * What one subscription's history keeps on this node.
	 *
	 * @param messages the messages kept
	 * @param bytes their text's bytes in UTF-8
	 */
	public record HistorySize(int messages, long bytes) {
	}

	/**
	 * One app.
	 *
	 * @param urls the URLs it serves
	 * @param options its resolved options
	 * @param channels its channels on this node
	 * @param totals its running totals on this node
	 */
	public record AppDescriptor(List<String> urls, Options options, int channels, Totals totals) {
	}

	/**
	 * An app's resolved options; sizes in bytes.
	 *
	 * @param allowedOrigins origin patterns allowed to connect
	 * @param maxMessageSize the largest inbound message
	 * @param idleTimeout the idle timeout, zero for none
	 * @param pingInterval the ping interval, zero for none
	 * @param sendBufferLimit the most bytes queued for one channel
	 * @param sendTimeLimit the longest one write may take
	 * @param overflow the overflow policy
	 * @param autoSubscribe whether channels are subscribed to their URL
	 * @param maxConnections the most open channels, zero for no limit
	 */
	public record Options(List<String> allowedOrigins, long maxMessageSize, Duration idleTimeout, Duration pingInterval,
			long sendBufferLimit, Duration sendTimeLimit, OverflowPolicy overflow, boolean autoSubscribe,
			int maxConnections) {
	}

	/**
	 * An app's running totals.
	 *
	 * @param channelsOpened channels opened
	 * @param messagesReceived whole messages received
	 * @param messagesSent messages written
	 * @param messagesDropped messages dropped under overflow policy drop-oldest
	 * @param slowConsumers channels closed for slow consumption
	 * @param handlerErrors handler callbacks that threw
	 */
	public record Totals(long channelsOpened, long messagesReceived, long messagesSent, long messagesDropped,
			long slowConsumers, long handlerErrors) {
	}

	/**
	 * What a close did.
	 *
	 * @param channel the channel
	 * @param closing whether it was open and is now closing
	 */
	public record CloseResult(String channel, boolean closing) {
	}

}
