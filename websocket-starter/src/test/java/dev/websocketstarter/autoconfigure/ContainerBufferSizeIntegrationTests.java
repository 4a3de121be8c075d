package dev.websocketstarter.autoconfigure;

import java.util.Map;
import java.util.function.Function;

import dev.websocketstarter.test.EchoApp;
import jakarta.servlet.ServletContext;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Tomcat buffer sizes the starter sets through
 * {@code websocket.container-buffer-size} and {@code websocket.socket-buffer-size}; the
 * JVM-wide frame buffer is tested in JVMs of its own, by
 * {@link TomcatFrameBufferFreshJvmTests}.
 */
class ContainerBufferSizeIntegrationTests {

	private static Map<String, String> bufferParameters(String... properties) {
		return read(EchoApp.class, properties, (context) -> {
			ServletContext servletContext = context.getBean(ServletContext.class);
			return Map.of("text", servletContext.getInitParameter("org.apache.tomcat.websocket.textBufferSize"),
					"binary", servletContext.getInitParameter("org.apache.tomcat.websocket.binaryBufferSize"));
		});
	}

	private static Map<String, String> socketBuffers(String... properties) {
		return socketBuffers(EchoApp.class, properties);
	}

	private static Map<String, String> socketBuffers(Class<?> configuration, String... properties) {
		return read(configuration, properties, (context) -> {
			WebServer server = ((WebServerApplicationContext) context).getWebServer();
			Connector connector = ((TomcatWebServer) server).getTomcat().getConnector();
			return Map.of("read", String.valueOf(connector.getProperty("socket.appReadBufSize")), "write",
					String.valueOf(connector.getProperty("socket.appWriteBufSize")));
		});
	}

	/**
	 * Start the echo app with one more configuration class and the given properties, and
	 * read what the test needs before it stops.
	 */
	private static <T> T read(Class<?> configuration, String[] properties,
			Function<ConfigurableApplicationContext, T> reader) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApp.class, configuration)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo")
			.properties(properties)
			.run()) {
			return reader.apply(context);
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

	@Test
	void smallSocketBuffersAreTheDefault() {
		assertThat(socketBuffers()).containsEntry("read", "1024").containsEntry("write", "1024");
	}

	@Test
	void socketBufferSizeIsConfigurable() {
		assertThat(socketBuffers("websocket.socket-buffer-size=8KB")).containsEntry("read", "8192")
			.containsEntry("write", "8192");
	}

	@Test
	void connectorCustomizerOfTheApplicationWins() {
		assertThat(socketBuffers(OwnSocketBuffers.class)).containsEntry("read", "4096").containsEntry("write", "1024");
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSocketBuffers {

		@Bean
		TomcatConnectorCustomizer largeReadBuffer() {
			return (connector) -> connector.setProperty("socket.appReadBufSize", "4096");
		}

	}

}
