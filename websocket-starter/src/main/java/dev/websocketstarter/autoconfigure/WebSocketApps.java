package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.websocketstarter.registry.AppSettings;
import dev.websocketstarter.registry.LocalChannelRegistry;
import dev.websocketstarter.registry.OverflowPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The apps that are on, with their options resolved against {@code websocket.defaults}.
 */
public final class WebSocketApps {

	private static final Log logger = LogFactory.getLog(LocalChannelRegistry.LOG_CATEGORY);

	private static final Duration MIN_HEARTBEAT = Duration.ofMillis(10);

	private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(1);

	private final Map<String, AppSettings> enabled;

	private final Set<String> configured;

	/**
	 * Resolve the apps of the given properties.
	 * @param properties the bound properties
	 * @throws WebSocketConfigurationException when two apps claim one URL
	 */
	public WebSocketApps(WebSocketProperties properties) {
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
		this.enabled = Map.copyOf(enabled);
	}

	private static AppSettings resolve(String name, WebSocketProperties.App app, WebSocketProperties.Options defaults) {
		return new AppSettings(name, app.getUrls(),
				option(app, defaults, WebSocketProperties.Options::getAllowedOrigins, List.of()),
				option(app, defaults, WebSocketProperties.Options::getMaxMessageSize, DataSize.ofKilobytes(64)),
				option(app, defaults, WebSocketProperties.Options::getIdleTimeout, Duration.ZERO),
				option(app, defaults, WebSocketProperties.Options::getPingInterval, Duration.ofSeconds(30)),
				option(app, defaults, WebSocketProperties.Options::getSendBufferLimit, DataSize.ofKilobytes(512)),
				option(app, defaults, WebSocketProperties.Options::getSendTimeLimit, Duration.ofSeconds(10)),
				option(app, defaults, WebSocketProperties.Options::getOverflow, OverflowPolicy.CLOSE),
				option(app, defaults, WebSocketProperties.Options::getAutoSubscribe, true),
				option(app, defaults, WebSocketProperties.Options::getMaxConnections, 0),
				option(app, defaults, WebSocketProperties.Options::getPermessageDeflate, false));
	}

	private static <T> T option(WebSocketProperties.App app, WebSocketProperties.Options defaults,
			Function<WebSocketProperties.Options, @Nullable T> getter, T builtIn) {
		T value = getter.apply(app);
		if (value == null) {
			value = getter.apply(defaults);
		}
		return (value != null) ? value : builtIn;
	}

	/**
	 * The apps that are on, by name.
	 * @return the apps
	 */
	public Map<String, AppSettings> enabled() {
		return this.enabled;
	}

	/**
	 * Whether an app has a section under {@code websocket.apps}, on or off.
	 * @param name the app name
	 * @return {@code true} if the app is configured
	 */
	public boolean isConfigured(String name) {
		return this.configured.contains(name);
	}

	/**
	 * How often the registry checks for due pings and idle channels: a fraction of the
	 * shortest interval any app uses, so that a ping or timeout is late by little.
	 * @return the period, zero when no app pings or times out
	 */
	public Duration heartbeatPeriod() {
		List<Duration> intervals = new ArrayList<>();
		for (AppSettings app : this.enabled.values()) {
			intervals.add(app.pingInterval());
			intervals.add(app.idleTimeout());
			// A peer that leaves its output full is caught by the heartbeat when nothing
			// more is sent to it
			intervals.add(app.sendTimeLimit());
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
