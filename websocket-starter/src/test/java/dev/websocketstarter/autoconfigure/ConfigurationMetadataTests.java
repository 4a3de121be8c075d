package dev.websocketstarter.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.registry.AppSettings;
import dev.websocketstarter.registry.OverflowPolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the generated configuration metadata that IDEs complete {@code websocket.*}
 * keys from.
 */
class ConfigurationMetadataTests {

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	@Test
	void everyDefaultsKeyIsDescribedWithTheDefaultThatApplies() throws IOException {
		Map<String, JsonNode> properties = properties();
		WebSocketProperties webSocket = new WebSocketProperties();
		webSocket.getApps().put("app", new WebSocketProperties.App());
		webSocket.getApps().get("app").setUrls(List.of("/app"));
		AppSettings builtIn = new WebSocketApps(webSocket).enabled().get("app");
		assertThat(properties.keySet()).contains("websocket.apps", "websocket.node-id", "websocket.writer-threads",
				"websocket.shutdown-timeout");
		properties
			.forEach((name, property) -> assertThat(property.path("description").asString()).as(name).isNotBlank());
		assertThat(defaultValue(properties, "max-message-size", DataSize.class)).isEqualTo(builtIn.maxMessageSize());
		assertThat(defaultValue(properties, "send-buffer-limit", DataSize.class)).isEqualTo(builtIn.sendBufferLimit());
		assertThat(defaultValue(properties, "idle-timeout", Duration.class)).isEqualTo(builtIn.idleTimeout());
		assertThat(defaultValue(properties, "ping-interval", Duration.class)).isEqualTo(builtIn.pingInterval());
		assertThat(defaultValue(properties, "send-time-limit", Duration.class)).isEqualTo(builtIn.sendTimeLimit());
		assertThat(defaultValue(properties, "overflow", OverflowPolicy.class)).isEqualTo(builtIn.overflow());
		assertThat(properties.get("websocket.defaults.auto-subscribe").path("defaultValue").asBoolean())
			.isEqualTo(builtIn.autoSubscribe());
		assertThat(properties.get("websocket.defaults.max-connections").path("defaultValue").asInt())
			.isEqualTo(builtIn.maxConnections());
		JsonNode permessageDeflate = properties.get("websocket.defaults.permessage-deflate").path("defaultValue");
		assertThat(permessageDeflate.isBoolean()).isTrue();
		assertThat(permessageDeflate.asBoolean()).isEqualTo(builtIn.permessageDeflate());
		assertThat(properties.get("websocket.defaults.allowed-origins").path("defaultValue")).isEmpty();
		assertThat(builtIn.allowedOrigins()).isEmpty();
	}

	private <T> T defaultValue(Map<String, JsonNode> properties, String option, Class<T> type) {
		JsonNode property = properties.get("websocket.defaults." + option);
		assertThat(property).as(option).isNotNull();
		return this.conversion.convert(property.path("defaultValue").asString(), type);
	}

	private static Map<String, JsonNode> properties() throws IOException {
		try (InputStream input = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(input).as("generated metadata").isNotNull();
			Map<String, JsonNode> properties = new HashMap<>();
			for (JsonNode property : JsonMapper.builder().build().readTree(input).path("properties")) {
				properties.put(property.path("name").asString(), property);
			}
			return properties;
		}
	}

}
