package dev.websocketstarter.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the starter's own transport leaves Tomcat's JVM-wide frame buffer setting
 * alone: this class runs in a JVM of its own (see the module's build).
 */
class TomcatFrameBufferUnsetFreshJvmTests {

	private static final String FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	@Test
	void starterTransportWithoutCompressionLeavesTheFrameBufferSettingUnset() {
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).as("a fresh JVM").isNull();
		TomcatFrameBufferFreshJvmTests.start("websocket.container-buffer-size=2KB");
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).isNull();
		TomcatFrameBufferFreshJvmTests.start("websocket.container-buffer-size=2KB",
				"websocket.apps.echo.permessage-deflate=true");
		assertThat(System.getProperty(FRAME_BUFFER_PROPERTY)).as("Tomcat's layer for compression").isEqualTo("2048");
	}

}
