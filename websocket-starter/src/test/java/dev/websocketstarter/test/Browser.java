package dev.websocketstarter.test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.websocketstarter.test.client.WebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that keeps cookies like a browser, so that its WebSocket handshakes carry its
 * HTTP session: logs in, rotates and logs out through the endpoints of {@link LoginApp},
 * and opens channels as one more tab.
 */
public final class Browser {

	private final int port;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public Browser(int port) {
		this.port = port;
	}

	/**
	 * Log in as a user.
	 * @return the id of the session
	 */
	public String login(String user) {
		return post("/login?name=" + user);
	}

	/**
	 * Make a session without logging in.
	 * @return the id of the session
	 */
	public String visit() {
		return post("/visit");
	}

	/**
	 * Change the id of the session.
	 * @return the new id
	 */
	public String rotate() {
		return post("/rotate");
	}

	/**
	 * Invalidate the session; the server has closed what closes with it once this
	 * returns.
	 * @return the id the session had
	 */
	public String logout() {
		return post("/logout");
	}

	private String post(String pathAndQuery) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + pathAndQuery))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("POST %s", pathAndQuery).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Open a WebSocket with the browser's cookies.
	 */
	public WebSocketTestClient connect(String pathAndQuery) {
		return WebSocketTestClient.to(URI.create("ws://localhost:" + this.port + pathAndQuery))
			.httpClient(this.http)
			.open();
	}

}
