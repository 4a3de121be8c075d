package dev.websocketstarter.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the generated configuration metadata that IDEs complete {@code websocket.*}
 * keys from: every settable key is there, described, with the default the code applies.
 */
class ConfigurationMetadataTests {

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	@Test
	void everyTopLevelKeyIsDescribedWithItsDefault() throws IOException {
		assertDescribed("websocket", new WebSocketProperties(), properties());
	}

	@Test
	void everyDefaultsKeyIsDescribedWithItsDefault() throws IOException {
		assertDescribed("websocket.defaults", new WebSocketProperties().getDefaults(), properties());
	}

	@Test
	void everyClusterKeyIsDescribedWithItsDefault() throws IOException {
		assertDescribed("websocket.cluster", new WebSocketProperties().getCluster(), properties());
	}

	@Test
	void everyDefaultHistoryKeyIsDescribedWithItsDefault() throws IOException {
		// A nested group without a setter of its own, which the loops above pass over
		assertDescribed("websocket.defaults.history", new WebSocketProperties().getDefaults().getHistory(),
				properties());
	}

	@Test
	void everyAppOptionIsAlsoADefaultsKey() throws IOException {
		Map<String, JsonNode> properties = properties();
		for (PropertyDescriptor option : BeanUtils.getPropertyDescriptors(AppProperties.class)) {
			// An app's URLs and its subscription scope are its own: a default would make
			// every app share one
			if (option.getWriteMethod() != null && !option.getName().equals("urls")
					&& !option.getName().equals("subscriptionScope")) {
				assertThat(properties).containsKey("websocket.defaults." + dashed(option.getName()));
			}
		}
	}

	/**
	 * Each property with a setter has a description; the metadata's default, converted as
	 * Boot binds it, equals the value of a new instance, and a property without a value
	 * has no default in the metadata.
	 */
	private void assertDescribed(String prefix, Object instance, Map<String, JsonNode> properties) {
		BeanWrapper bean = PropertyAccessorFactory.forBeanPropertyAccess(instance);
		int checked = 0;
		for (PropertyDescriptor descriptor : bean.getPropertyDescriptors()) {
			if (descriptor.getWriteMethod() == null) {
				continue;
			}
			String name = prefix + "." + dashed(descriptor.getName());
			JsonNode property = properties.get(name);
			assertThat(property).as(name).isNotNull();
			assertThat(property.path("description").asString()).as(name).isNotBlank();
			Object value = bean.getPropertyValue(descriptor.getName());
			JsonNode defaultValue = property.path("defaultValue");
			if (value == null || (value instanceof Collection<?> collection && collection.isEmpty())) {
				assertThat(defaultValue.isMissingNode()).as(name + " has no default").isTrue();
			}
			else {
				assertThat(defaultValue.isMissingNode()).as(name + " has a default").isFalse();
				Object converted = this.conversion.convert(
						defaultValue.isValueNode() ? defaultValue.asString() : defaultValue.toString(),
						descriptor.getPropertyType());
				assertThat(converted).as(name).isEqualTo(value);
			}
			checked++;
		}
		assertThat(checked).as("settable properties of " + prefix).isPositive();
	}

	private static String dashed(String javaName) {
		return javaName.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
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
