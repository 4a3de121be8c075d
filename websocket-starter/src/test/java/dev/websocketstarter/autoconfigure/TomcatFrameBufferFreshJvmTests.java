package dev.websocketstarter.autoconfigure;

import java.lang.reflect.Field;

import dev.websocketstarter.test.EchoApp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code websocket.container-buffer-size} on Tomcat's frame buffer, a JVM-wide
 * setting Tomcat reads once, when its WebSocket classes load: this class runs in a JVM of
 * its own (see the module's build), where no other test set it first.
 */
class TomcatFrameBufferFreshJvmTests {

	private static final String FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	@Test
	void frameBufferOfTomcatsLayerIsTheContainerBufferSizeAndTheFirstSettingStays() throws Exception {
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).as("a fresh JVM").isNull();
		start("websocket.container-buffer-size=2KB", "websocket.transport=container");
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).isEqualTo("2048");
		assertThat(tomcatsFrameBufferSize()).as("what Tomcat took").isEqualTo(2048);
		start("websocket.container-buffer-size=4KB", "websocket.transport=container");
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).as("set already").isEqualTo("2048");
	}

	static void start(String... properties) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApp.class)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo")
			.properties(properties)
			.run()) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	private static int tomcatsFrameBufferSize() throws ReflectiveOperationException {
		Field size = Class.forName("org.apache.tomcat.websocket.Constants").getDeclaredField("DEFAULT_BUFFER_SIZE");
		size.setAccessible(true);
		return size.getInt(null);
	}

}
