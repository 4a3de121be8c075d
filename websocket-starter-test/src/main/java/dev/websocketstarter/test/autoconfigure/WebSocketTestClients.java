package dev.websocketstarter.test.autoconfigure;

import java.net.URI;

import dev.websocketstarter.test.client.WebSocketTestClient;

import org.springframework.core.env.Environment;

/**
 * Opens {@link WebSocketTestClient}s to the application under test, on the port its
 * server listens on ({@code local.server.port}), read when a client opens, so that it
 * works with a random port. <pre class="code">
 * &#64;SpringBootTest(webEnvironment = RANDOM_PORT)
 * &#64;AutoConfigureWebSocketTestClient
 * class ChatTests {
 *
 *     &#64;Autowired
 *     WebSocketTestClients clients;
 *
 *     &#64;Test
 *     void welcomes() {
 *         try (WebSocketTestClient alice = this.clients.to("/chat").query("name", "alice").open()) {
 *             alice.awaitJson("/type", "welcome");
 *         }
 *     }
 *
 * }
 * </pre>
 */
public class WebSocketTestClients {

	private final Environment environment;

	/**
	 * Create the factory.
	 * @param environment where the server's port is found
	 */
	public WebSocketTestClients(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Start a client to a path of the application, with a query if any.
	 * @param pathAndQuery such as {@code /chat} or {@code /chat?name=alice}
	 * @return a builder for more options
	 * @throws IllegalStateException if the application has no server port yet
	 */
	public WebSocketTestClient.Builder to(String pathAndQuery) {
		Integer port = this.environment.getProperty("local.server.port", Integer.class);
		if (port == null) {
			throw new IllegalStateException(
					"The application has no server port: use @SpringBootTest(webEnvironment = RANDOM_PORT) or DEFINED_PORT");
		}
		boolean secure = this.environment.getProperty("server.ssl.enabled", Boolean.class, false)
				|| this.environment.containsProperty("server.ssl.bundle");
		return WebSocketTestClient.to(URI.create((secure ? "wss" : "ws") + "://localhost:" + port + pathAndQuery));
	}

	/**
	 * Open a client to a path of the application.
	 * @param pathAndQuery such as {@code /chat?name=alice}
	 * @return the client, open
	 */
	public WebSocketTestClient open(String pathAndQuery) {
		return to(pathAndQuery).open();
	}

}
