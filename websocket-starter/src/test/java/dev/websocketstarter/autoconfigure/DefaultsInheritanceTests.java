package dev.websocketstarter.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.registry.OverflowPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that an app takes every option it does not set from {@code websocket.defaults}:
 * every setting of {@link AppSettings} is checked, so an option added without its default
 * fails here.
 */
class DefaultsInheritanceTests {

	/**
	 * Settings no default applies to: the app's name, its URLs and its scope.
	 */
	private static final Set<String> APP_ONLY = Set.of("name", "urls", "subscriptionScope");

	private static final Map<String, Object> INHERITED = Map.ofEntries(
			Map.entry("allowedOrigins", List.of("https://*.example.com")),
			Map.entry("maxMessageSize", DataSize.ofKilobytes(300)), Map.entry("idleTimeout", Duration.ofMinutes(7)),
			Map.entry("pingInterval", Duration.ofSeconds(21)), Map.entry("sendBufferLimit", DataSize.ofMegabytes(3)),
			Map.entry("sendTimeLimit", Duration.ofSeconds(4)), Map.entry("messageTimeLimit", Duration.ofSeconds(9)),
			Map.entry("overflow", OverflowPolicy.DROP_OLDEST), Map.entry("autoSubscribe", false),
			Map.entry("maxConnections", 17), Map.entry("permessageDeflate", true), Map.entry("closeWithSession", false),
			Map.entry("presence", true), Map.entry("presenceDiffs", Duration.ofMillis(700)), Map.entry("history",
					new HistorySettings(List.of("room-*"), 77, DataSize.ofKilobytes(99), Duration.ofMinutes(3))));

	private static final String[] DEFAULTS = { "websocket.defaults.allowed-origins=https://*.example.com",
			"websocket.defaults.max-message-size=300KB", "websocket.defaults.idle-timeout=7m",
			"websocket.defaults.ping-interval=21s", "websocket.defaults.send-buffer-limit=3MB",
			"websocket.defaults.send-time-limit=4s", "websocket.defaults.message-time-limit=9s",
			"websocket.defaults.overflow=drop-oldest", "websocket.defaults.auto-subscribe=false",
			"websocket.defaults.max-connections=17", "websocket.defaults.permessage-deflate=true",
			"websocket.defaults.close-with-session=false", "websocket.defaults.presence=true",
			"websocket.defaults.presence-diffs=700ms", "websocket.defaults.history.subscriptions=room-*",
			"websocket.defaults.history.size=77", "websocket.defaults.history.max-bytes=99KB",
			"websocket.defaults.history.max-age=3m" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class))
		.withUserConfiguration(WebSocketAppsAutoConfigurationTests.ChatHandlerConfiguration.class)
		.withPropertyValues("websocket.apps.chat.urls=/chat");

	@Test
	void everySettingButTheAppsOwnHasADefaultThisTestSets() {
		assertThat(Arrays.stream(AppSettings.class.getRecordComponents()).map(RecordComponent::getName))
			.containsExactlyInAnyOrderElementsOf(
					Stream.concat(APP_ONLY.stream(), INHERITED.keySet().stream()).toList());
	}

	@Test
	void appTakesEveryOptionItDoesNotSetFromTheDefaults() {
		this.contextRunner.withPropertyValues(DEFAULTS)
			.run((context) -> assertThat(settings(context.getBean(WebSocketApps.class).enabled().get("chat")))
				.containsAllEntriesOf(INHERITED));
	}

	@Test
	void withoutDefaultsNoneOfTheTestedValuesIsTheBuiltInOne() {
		this.contextRunner.run((context) -> {
			Map<String, Object> builtIn = settings(context.getBean(WebSocketApps.class).enabled().get("chat"));
			INHERITED.forEach((name, value) -> assertThat(builtIn.get(name)).as(name).isNotEqualTo(value));
		});
	}

	private static Map<String, Object> settings(AppSettings settings) throws ReflectiveOperationException {
		Map<String, Object> values = new HashMap<>();
		for (RecordComponent component : AppSettings.class.getRecordComponents()) {
			values.put(component.getName(), component.getAccessor().invoke(settings));
		}
		return values;
	}

}
