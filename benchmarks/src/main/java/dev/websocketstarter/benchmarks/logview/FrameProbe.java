package dev.websocketstarter.benchmarks.logview;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second follower of the watched file, without a browser: the JDK's WebSocket client
 * with HTTP Basic credentials, noting when each line's frame arrives. Set against the
 * page's times it splits the latency into the server's part (waiting for the tailer's
 * tick, then the multicast) and the browser's part (parsing the frame, building the DOM).
 */
final class FrameProbe implements WebSocket.Listener, AutoCloseable {

	private final Pattern id;

	private final Map<Integer, Long> received = new ConcurrentHashMap<>();

	private final List<Long> frames = new ArrayList<>();

	private final StringBuilder partial = new StringBuilder();

	private final CountDownLatch followed = new CountDownLatch(1);

	private final WebSocket webSocket;

	private FrameProbe(int port, String user, String password, String file, Pattern id) throws InterruptedException {
		this.id = id;
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", "Basic " + credentials)
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/admin/websocket/log-view"), this)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		this.webSocket.sendText("{\"follow\": \"" + file + "\"}", true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Follow {@code file} and wait for the answer, after which every later line of the
	 * file reaches this probe.
	 * @param id a pattern whose group 1 is a measured line's number
	 */
	static FrameProbe follow(int port, String user, String password, String file, Pattern id)
			throws InterruptedException {
		FrameProbe probe = new FrameProbe(port, user, password, file, id);
		if (!probe.followed.await(10, TimeUnit.SECONDS)) {
			probe.close();
			throw new IllegalStateException("No answer to the probe's follow within 10 s");
		}
		return probe;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		long now = System.currentTimeMillis();
		this.partial.append(data);
		if (last) {
			String frame = this.partial.toString();
			this.partial.setLength(0);
			// The ids are unique to the benchmark's lines: a plain match, no JSON parsing
			Matcher matcher = this.id.matcher(frame);
			boolean measured = false;
			while (matcher.find()) {
				this.received.putIfAbsent(Integer.parseInt(matcher.group(1)), now);
				measured = true;
			}
			if (measured) {
				synchronized (this.frames) {
					this.frames.add(now);
				}
			}
			if (frame.contains("\"type\":\"lines\"")) {
				this.followed.countDown();
			}
		}
		webSocket.request(1);
		return null;
	}

	/**
	 * When each measured line arrived, by number ({@code System.currentTimeMillis()}).
	 */
	Map<Integer, Long> received() {
		return this.received;
	}

	/**
	 * When each frame with measured lines arrived, in order: the tailer's ticks, seen
	 * from a client.
	 */
	List<Long> frames() {
		synchronized (this.frames) {
			return List.copyOf(this.frames);
		}
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
	}

}
