package dev.websocketstarter.autoconfigure;

import java.util.Map;

import dev.websocketstarter.test.EchoApp;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Tomcat message buffer size the starter sets through
 * {@code websocket.container-buffer-size}.
 */
class ContainerBufferSizeIntegrationTests {

	private static Map<String, String> bufferParameters(String... properties) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApp.class)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo")
			.properties(properties)
			.run()) {
			ServletContext servletContext = context.getBean(ServletContext.class);
			return Map.of("text", servletContext.getInitParameter("org.apache.tomcat.websocket.textBufferSize"),
					"binary", servletContext.getInitParameter("org.apache.tomcat.websocket.binaryBufferSize"));
		}
	}

	@Test
	void smallBuffersAreTheDefault() {
		assertThat(bufferParameters()).containsEntry("text", "1024").containsEntry("binary", "1024");
	}

	@Test
	void bufferSizeIsConfigurable() {
		assertThat(bufferParameters("websocket.container-buffer-size=4KB")).containsEntry("text", "4096")
			.containsEntry("binary", "4096");
	}

	@Test
	void explicitServletContextParameterWins() {
		assertThat(
				bufferParameters("server.servlet.context-parameters.org.apache.tomcat.websocket.textBufferSize=8192"))
			.containsEntry("text", "8192")
			.containsEntry("binary", "1024");
	}

}
