package dev.websocketstarter.sample.logview;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the log viewer's socket ending with the administrator's login session.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.security.user.password=" + LogoutIntegrationTests.PASSWORD)
class LogoutIntegrationTests {

	static final String PASSWORD = "logout-test-secret";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Test
	void loggingOutClosesTheViewersSocketWithSessionEnded() throws Exception {
		Browser browser = new Browser(this.port);
		browser.logIn("admin", PASSWORD);
		Socket socket = browser.openViewer();
		Socket other = new Browser(this.port).logIn("admin", PASSWORD).openViewer();
		await().atMost(WAIT).until(() -> !socket.texts.isEmpty() && !other.texts.isEmpty());
		browser.logOut();
		assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1008 session ended");
		// Another login session of the same user keeps its socket
		other.webSocket.sendText("{\"follow\":\"nope\"}", true);
		await().atMost(WAIT).until(() -> other.texts.size() > 1);
		assertThat(other.closed).isNotDone();
	}

	/**
	 * A browser's side of form login: a cookie jar and the CSRF token of each form.
	 */
	private static final class Browser {

		private final int port;

		private final HttpClient http;

		Browser(int port) {
			this.port = port;
			this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		}

		Browser logIn(String user, String password) throws Exception {
			String token = csrf("/login");
			HttpResponse<String> response = post("/login",
					"username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(token));
			assertThat(response.statusCode()).isEqualTo(302);
			assertThat(response.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin/log-view"));
			return this;
		}

		void logOut() throws Exception {
			HttpResponse<String> response = post("/logout", "_csrf=" + encode(csrf("/logout")));
			assertThat(response.statusCode()).isEqualTo(302);
		}

		Socket openViewer() {
			Socket socket = new Socket();
			socket.webSocket = this.http.newWebSocketBuilder()
				.buildAsync(URI.create("ws://localhost:" + this.port + "/admin/websocket/log-view"), socket)
				.orTimeout(10, TimeUnit.SECONDS)
				.join();
			return socket;
		}

		private String csrf(String path) throws Exception {
			HttpResponse<String> page = this.http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher token = CSRF.matcher(page.body());
			assertThat(token.find()).as("CSRF token in the page at %s", path).isTrue();
			return token.group(1);
		}

		private HttpResponse<String> post(String path, String form) throws Exception {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "text/html")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

	/**
	 * A viewer's socket: the texts it got and how it closed.
	 */
	private static final class Socket implements WebSocket.Listener {

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private final CompletableFuture<String> closed = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		private WebSocket webSocket;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.texts.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode + " " + reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
