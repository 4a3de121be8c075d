package dev.websocketstarter.sample.logview;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the log viewer's socket ending with the administrator's login session.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.security.user.password=" + LogoutIntegrationTests.PASSWORD)
class LogoutIntegrationTests {

	static final String PASSWORD = "logout-test-secret";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Test
	void loggingOutClosesTheViewersSocketWithSessionEnded() throws Exception {
		Browser browser = new Browser(this.port);
		browser.logIn("admin", PASSWORD);
		WebSocketTestClient viewer = browser.openViewer();
		WebSocketTestClient other = new Browser(this.port).logIn("admin", PASSWORD).openViewer();
		viewer.next();
		other.next();
		browser.logOut();
		assertThat(viewer.awaitClose()).isEqualTo(new CloseStatus(1008, "session ended"));
		// Another login session of the same user keeps its socket
		other.send("{\"follow\":\"nope\"}");
		other.next();
		assertThat(other.isClosed()).isFalse();
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

		WebSocketTestClient openViewer() {
			return WebSocketTestClient.to(this.port, "/admin/websocket/log-view").httpClient(this.http).open();
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

}
