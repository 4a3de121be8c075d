package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.HistorySettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The apps that are on, with their options resolved against {@code websocket.defaults}.
 */
final class WebSocketApps {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private static final Duration MIN_HEARTBEAT = Duration.ofMillis(10);

	private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(1);

	private final Map<String, AppSettings> enabled;

	private final Set<String> configured;

	/**
	 * Resolve the apps of the given properties.
	 * @param properties the bound properties
	 * @throws WebSocketConfigurationException when two apps claim one URL
	 */
	WebSocketApps(WebSocketProperties properties) {
		this.configured = Set.copyOf(properties.getApps().keySet());
		Map<String, AppSettings> enabled = new LinkedHashMap<>();
		Map<String, String> appByUrl = new LinkedHashMap<>();
		properties.getApps().forEach((name, app) -> {
			if (app.getUrls().isEmpty()) {
				logger.info("WebSocket app '" + name + "' is off: websocket.apps." + name + ".urls is empty");
				return;
			}
			for (String url : app.getUrls()) {
				String other = appByUrl.putIfAbsent(url, name);
				if (other != null) {
					throw new WebSocketConfigurationException(
							"URL '" + url + "' is claimed by WebSocket apps '" + other + "' and '" + name + "'.",
							"Give the URL to one app: remove it from websocket.apps." + other
									+ ".urls or websocket.apps." + name + ".urls.");
				}
			}
			enabled.put(name, resolve(name, app, properties.getDefaults()));
		});
		this.enabled = Collections.unmodifiableMap(enabled);
	}

	private static AppSettings resolve(String name, AppProperties app, AppOptions defaults) {
		DataSize maxMessageSize = option(app.getMaxMessageSize(), defaults.getMaxMessageSize());
		Duration ownTimeLimit = app.getMessageTimeLimit();
		Duration messageTimeLimit = (ownTimeLimit != null) ? ownTimeLimit : defaults.getMessageTimeLimit();
		return new AppSettings(name, app.getUrls(), option(app.getAllowedOrigins(), defaults.getAllowedOrigins()),
				maxMessageSize, option(app.getIdleTimeout(), defaults.getIdleTimeout()),
				option(app.getPingInterval(), defaults.getPingInterval()),
				option(app.getSendBufferLimit(), defaults.getSendBufferLimit()),
				option(app.getSendTimeLimit(), defaults.getSendTimeLimit()),
				option(app.getOverflow(), defaults.getOverflow()),
				option(app.getAutoSubscribe(), defaults.isAutoSubscribe()),
				option(app.getMaxConnections(), defaults.getMaxConnections()),
				option(app.getPermessageDeflate(), defaults.isPermessageDeflate()),
				option(app.getSubscriptionScope(), name),
				option(app.getCloseWithSession(), defaults.isCloseWithSession()),
				option(app.getPresence(), defaults.isPresence()),
				option(app.getPresenceDiffs(), defaults.getPresenceDiffs()),
				history(app.getHistory(), defaults.getHistory()),
				(messageTimeLimit != null) ? messageTimeLimit : AppSettings.defaultMessageTimeLimit(maxMessageSize));
	}

	private static HistorySettings history(AppProperties.History app, AppOptions.History defaults) {
		return new HistorySettings(option(app.getSubscriptions(), defaults.getSubscriptions()),
				option(app.getSize(), defaults.getSize()), option(app.getMaxBytes(), defaults.getMaxBytes()),
				option(app.getMaxAge(), defaults.getMaxAge()));
	}

	private static <T> T option(@Nullable T own, T fallback) {
		return (own != null) ? own : fallback;
	}

	/**
	 * The apps that are on, by name, in the order they are configured.
	 * @return the apps
	 */
	Map<String, AppSettings> enabled() {
		return this.enabled;
	}

	/**
	 * Whether an app has a section under {@code websocket.apps}, on or off.
	 * @param name the app name
	 * @return {@code true} if the app is configured
	 */
	boolean isConfigured(String name) {
		return this.configured.contains(name);
	}

	/**
	 * How often the registry checks for due pings and idle channels: a fraction of the
	 * shortest interval any app uses, so that a ping or timeout is late by little.
	 * @return the period, zero when no app pings or times out
	 */
	Duration heartbeatPeriod() {
		List<Duration> intervals = new ArrayList<>();
		for (AppSettings app : this.enabled.values()) {
			intervals.add(app.pingInterval());
			intervals.add(app.idleTimeout());
			// A peer that leaves its output full is caught by the heartbeat when nothing
			// more is sent to it
			intervals.add(app.sendTimeLimit());
			// Not message-time-limit: a slow message closed a beat late costs nothing, a
			// faster beat costs every channel (4% of fan-out throughput at 1s)
		}
		return intervals.stream()
			.filter((interval) -> !interval.isZero())
			.min(Duration::compareTo)
			.map((shortest) -> clamp(shortest.dividedBy(5)))
			.orElse(Duration.ZERO);
	}

	private static Duration clamp(Duration period) {
		if (period.compareTo(MIN_HEARTBEAT) < 0) {
			return MIN_HEARTBEAT;
		}
		return (period.compareTo(MAX_HEARTBEAT) > 0) ? MAX_HEARTBEAT : period;
	}

}
