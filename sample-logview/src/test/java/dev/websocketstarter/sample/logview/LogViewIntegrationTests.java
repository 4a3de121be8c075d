package dev.websocketstarter.sample.logview;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the log viewer over real WebSocket and HTTP clients, tailing files in a
 * temporary directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.user.password=" + LogViewIntegrationTests.PASSWORD, "log-view.refresh=100ms",
				"log-view.backlog=5" })
class LogViewIntegrationTests {

	static final String PASSWORD = "correct horse battery staple";

	/** The refresh period plus a generous margin for a loaded machine. */
	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path directory;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void files(DynamicPropertyRegistry registry) {
		registry.add("log-view.files.app", () -> directory.resolve("app.log").toString());
		registry.add("log-view.files.other", () -> directory.resolve("other.log").toString());
		registry.add("log-view.files.missing", () -> directory.resolve("missing.log").toString());
	}

	private static void append(String file, String... lines) throws IOException {
		Files.writeString(directory.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private Viewer admin() {
		return Viewer.connect(this.port, "admin", PASSWORD);
	}

	@Test
	void handshakeWithoutCredentialsIsRefusedWith401BeforeTheUpgrade() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/admin/websocket/log-view"))
				.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
				.header("Sec-WebSocket-Version", "13")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic"));
		assertThat(Viewer.refusedStatus(this.port, "admin", "wrong")).isEqualTo(401);
	}

	@Test
	void pageNeedsLoginAndIsServedToTheAdministrator() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		URI page = URI.create("http://localhost:" + this.port + "/admin/log-view");
		HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(page).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isIn(302, 401);
		HttpResponse<String> admin = client.send(
				HttpRequest.newBuilder(page).header("Authorization", Viewer.basic("admin", PASSWORD)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(admin.body()).contains("log-view.js");
	}

	@Test
	void viewerFirstGetsTheFilesAndTheirStates() {
		try (Viewer viewer = admin()) {
			await().atMost(WAIT).until(() -> !viewer.frames("files").isEmpty());
			JsonNode files = viewer.frames("files").get(0).path("files");
			// Boot merges map properties: the default "access" file stays beside the
			// test's files
			assertThat(files.valueStream().map((file) -> file.path("name").asString())).containsExactly("access", "app",
					"missing", "other");
			assertThat(files.valueStream()
				.filter((file) -> file.path("name").asString().equals("missing"))
				.map((file) -> file.path("state").asString())).containsExactly("waiting");
		}
	}

	@Test
	void unknownFileNamesAreRefusedAndNoPathIsReadOnAClientsWord() throws Exception {
		try (Viewer viewer = admin()) {
			viewer.send("{\"follow\": \"../../../../etc/passwd\"}");
			viewer.send("{\"follow\": \"/etc/passwd\"}");
			viewer.send("{\"unfollow\": \"nope\"}");
			viewer.send("not json");
			viewer.send("{\"tail\": \"app\"}");
			await().atMost(WAIT).until(() -> viewer.frames("error").size() == 5);
			// A line the tailer read after the refusals comes after anything they had set
			// going
			follow(viewer, "app");
			appendAndAwait(viewer, "app", "after the refused requests");
			assertThat(viewer.frames("error").stream().map((frame) -> frame.path("error").asString()))
				.containsExactly("unknown-file", "unknown-file", "unknown-file", "invalid-json", "invalid-request");
			assertThat(viewer.frames("lines")).isNotEmpty()
				.allSatisfy((frame) -> assertThat(frame.path("file").asString()).isEqualTo("app"));
		}
	}

	@Test
	void followSendsTheBacklogThenEveryAppendedLineOnce() throws Exception {
		append("app.log", IntStream.range(0, 20).mapToObj((i) -> "old " + i).toArray(String[]::new));
		try (Viewer viewer = admin()) {
			viewer.send("{\"follow\": \"app\"}");
			await().atMost(WAIT).until(() -> viewer.lines("app").size() == 5);
			assertThat(viewer.lines("app")).containsExactly("old 15", "old 16", "old 17", "old 18", "old 19");
			append("app.log", "new 1", "<script>alert(1)</script>");
			append("app.log", "new 3");
			await().atMost(WAIT).until(() -> viewer.lines("app").contains("new 3"));
			// A repeat of what was already sent would come before a later line
			appendAndAwait(viewer, "app", "new 4");
			assertThat(viewer.lines("app")).containsExactly("old 15", "old 16", "old 17", "old 18", "old 19", "new 1",
					"<script>alert(1)</script>", "new 3", "new 4");
		}
	}

	@Test
	void reconnectingViewerResumesWithoutGapOrRepeat() throws Exception {
		append("other.log", "before");
		String position;
		try (Viewer first = admin()) {
			first.send("{\"follow\": \"other\"}");
			await().atMost(WAIT).until(() -> first.lines("other").contains("before"));
			List<JsonNode> batches = first.frames("lines");
			position = batches.get(batches.size() - 1).path("position").asString();
		}
		append("other.log", "while away 1", "while away 2");
		try (Viewer second = admin()) {
			second.send("{\"follow\": \"other\", \"from\": \"" + position + "\"}");
			// The lines may come with the answer or, if the tailer has not read them yet,
			// in a later batch
			await().atMost(WAIT).until(() -> second.lines("other").contains("while away 2"));
			// A repeat or a backlog sent late would come before a later line
			appendAndAwait(second, "other", "back");
			assertThat(second.lines("other")).containsExactly("while away 1", "while away 2", "back");
			JsonNode resumed = second.frames("lines").get(0);
			assertThat(resumed.path("continued").asBoolean()).isTrue();
		}
	}

	@Test
	void whatAViewerSendsNeverReachesAnotherViewer() throws Exception {
		try (Viewer talker = admin(); Viewer listener = admin()) {
			follow(listener, "app");
			talker.send("{\"follow\": \"app\"}");
			talker.send("{\"text\": \"hello everyone\"}");
			await().atMost(WAIT).until(() -> talker.frames("error").size() == 1);
			appendAndAwait(listener, "app", "after the talker spoke");
			assertThat(listener.frames())
				.allSatisfy((frame) -> assertThat(frame.path("type").asString()).isIn("files", "lines", "state"));
		}
	}

	@Test
	void unfollowedFileSendsNoMoreLines() throws Exception {
		try (Viewer viewer = admin(); Viewer observer = admin()) {
			viewer.send("{\"follow\": \"other\"}");
			await().atMost(WAIT).until(() -> !viewer.frames("lines").isEmpty());
			viewer.send("{\"unfollow\": \"other\"}");
			viewer.send("{\"follow\": \"app\"}");
			await().atMost(WAIT).until(() -> viewer.frames("lines").size() == 2);
			follow(observer, "other");
			// The observer getting the line means the tick that sent it is over; a line
			// of another file read later reaches the viewer after anything that tick sent
			// it
			appendAndAwait(observer, "other", "after the unfollow");
			appendAndAwait(viewer, "app", "read after the unfollowed file's line");
			assertThat(viewer.lines("other")).doesNotContain("after the unfollow");
		}
	}

	/**
	 * Follows a file and waits for the answer, so that lines appended afterwards come
	 * from the tailer's later ticks, not with the backlog.
	 */
	private static void follow(Viewer viewer, String file) {
		viewer.send("{\"follow\": \"" + file + "\"}");
		await().atMost(WAIT)
			.until(() -> viewer.frames("lines")
				.stream()
				.anyMatch((frame) -> frame.path("file").asString().equals(file) && frame.has("continued")));
	}

	/**
	 * Appends a line no other test writes and waits until the viewer, which follows the
	 * file, has it: a marker that everything sent to the viewer before it has arrived.
	 */
	private static void appendAndAwait(Viewer viewer, String file, String line) throws IOException {
		assertThat(viewer.lines(file)).doesNotContain(line);
		append(file + ".log", line);
		await().atMost(WAIT).until(() -> viewer.lines(file).contains(line));
	}

}
