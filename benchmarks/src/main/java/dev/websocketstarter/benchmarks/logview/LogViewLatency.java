package dev.websocketstarter.benchmarks.logview;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.jspecify.annotations.Nullable;

/**
 * The log viewer's append-to-page latency: from a line being appended to a followed file
 * until it is in the DOM of the log-view sample's page, in Debian's Chromium driven by
 * Playwright, with the sample running from its own jar in a JVM of its own.
 * <p>
 * Both ends read the same wall clock of this machine: {@code System.currentTimeMillis()}
 * in this JVM right after the write, and {@code Date.now()} in a MutationObserver on the
 * page's list of lines. Lines are appended one at a time after a random pause of 100 to
 * 400 ms, so they fall at every phase of the tailer's period.
 */
public final class LogViewLatency {

	/**
	 * Debian's Chromium, as in the sample's page tests; never a downloaded browser.
	 * {@code -Dbench.chromium} names another Chromium.
	 */
	public static final Path CHROMIUM = Path.of(System.getProperty("bench.chromium", "").isBlank() ? "/usr/bin/chromium"
			: System.getProperty("bench.chromium"));

	private static final String SKIP_DOWNLOAD = "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD";

	private static final String FILE = "bench";

	private static final String USER = "admin";

	/** Marks a measured line; group 1 is its number. */
	private static final Pattern ID = Pattern.compile("logview-bench #(\\d+)\\b");

	private static final Duration APP_START = Duration.ofSeconds(60);

	private static final Duration STEP = Duration.ofSeconds(15);

	/**
	 * Set once the page follows the file: the time each measured line was added to
	 * {@code #lines}, by number. The page appends one fragment per frame, so its lines
	 * are the added nodes; the observer runs right after the frame's handler, in the same
	 * task.
	 */
	private static final String OBSERVER = """
			() => {
			  const seen = {};
			  window.logviewBench = seen;
			  new MutationObserver((records) => {
			    const now = Date.now();
			    for (const record of records) {
			      for (const node of record.addedNodes) {
			        const match = /logview-bench #(\\d+)\\b/.exec(node.textContent || '');
			        if (match && !(match[1] in seen)) {
			          seen[match[1]] = now;
			        }
			      }
			    }
			  }).observe(document.getElementById('lines'), { childList: true });
			}""";

	private static final String SHOWN = """
			(text) => [...document.querySelectorAll('#lines .line .text')].some((line) => line.textContent.includes(text))""";

	private LogViewLatency() {
	}

	/**
	 * Why the measurement cannot run here, or {@code null} if it can.
	 */
	public static @Nullable String unavailable(Path jar) {
		if (!Files.isExecutable(CHROMIUM)) {
			return "no Chromium at " + CHROMIUM
					+ " (Debian's package 'chromium', or -Dbench.chromium=<path>); Playwright never downloads one";
		}
		if (!Files.isRegularFile(jar)) {
			return "no sample-logview jar at " + jar.toAbsolutePath()
					+ " (./mvnw -q -B install -DskipTests, then -Pbench -pl benchmarks verify copies it)";
		}
		return null;
	}

	/**
	 * Start the sample at {@code refresh}, follow a file of its own in the page, append
	 * {@code count} lines and note when each shows.
	 * @param jar the sample's executable jar
	 * @param directory a fresh directory for the watched file and the sample's own logs
	 * @param logs where the sample's console output goes
	 */
	public static Result measure(Path jar, Path directory, Path logs, Duration refresh, int count)
			throws IOException, InterruptedException {
		Path file = directory.resolve(FILE + ".log");
		// There before the sample starts, so the page shows it active, not waiting
		Files.writeString(file, line("logview-bench started"), StandardCharsets.UTF_8);
		String password = UUID.randomUUID().toString();
		long[] appended = new long[count];
		// The driver skips its browser install with this variable; set here too, besides
		// the pom, for runs started without Maven
		Playwright.CreateOptions driver = new Playwright.CreateOptions().setEnv(Map.of(SKIP_DOWNLOAD, "1"));
		try (SampleLogView app = SampleLogView.start(jar, directory, logs, FILE, file, refresh, password, APP_START);
				Playwright playwright = Playwright.create(driver);
				Browser browser = playwright.chromium()
					.launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
						.setHeadless(true)
						.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
								"--disable-component-update", "--disable-sync", "--no-first-run")));
				Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 600));
				FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			page.setDefaultTimeout(STEP.toMillis());
			page.navigate(app.url("/admin/log-view"));
			page.fill("input[name=username]", USER);
			page.fill("input[name=password]", password);
			page.click("button[type=submit]");
			page.waitForURL("**/admin/log-view");
			page.locator("#files input[value=" + FILE + "]").check();
			// The answer to the follow carries the backlog: once that shows, every later
			// tick reaches the page
			awaitShown(page, "logview-bench started", STEP);
			page.evaluate(OBSERVER);
			try (FrameProbe probe = FrameProbe.follow(app.port(), USER, password, FILE, ID)) {
				// One line through the whole live path first, so the first measured line
				// does not pay for cold code in the sample and the page
				append(writer, line("logview-bench warm-up"));
				awaitShown(page, "logview-bench warm-up", refresh.plus(STEP));
				for (int i = 0; i < count; i++) {
					Thread.sleep(ThreadLocalRandom.current().nextLong(100, 401));
					append(writer, line("logview-bench #" + i));
					appended[i] = System.currentTimeMillis();
				}
				Map<Integer, Long> shown = awaitAll(page, count, refresh.plus(Duration.ofSeconds(5)));
				return result(refresh, appended, shown, probe.received(), probe.frames());
			}
		}
	}

	/**
	 * One write of a whole line to a file opened for append: once {@code write} returns
	 * the line is in the page cache, where the sample's tailer reads it; no fsync is
	 * needed for another process to see it.
	 */
	private static void append(FileChannel writer, String line) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			writer.write(bytes);
		}
	}

	/**
	 * A line of 100 bytes, like a typical log line, newline included.
	 */
	private static String line(String text) {
		return String.format(Locale.ROOT, "%-99s\n", "2026-01-01 12:00:00.000  INFO 1 --- [bench] " + text);
	}

	private static void awaitShown(Page page, String text, Duration timeout) {
		page.waitForFunction(SHOWN, text, new Page.WaitForFunctionOptions().setTimeout(timeout.toMillis()));
	}

	/**
	 * What the page's observer noted, once every line shows or at {@code timeout} after
	 * the last append.
	 */
	private static Map<Integer, Long> awaitAll(Page page, int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline
				&& ((Number) page.evaluate("() => Object.keys(window.logviewBench).length")).intValue() < count) {
			Thread.sleep(100);
		}
		Map<Integer, Long> shown = new HashMap<>();
		for (Object entry : (List<?>) page.evaluate("() => Object.entries(window.logviewBench)")) {
			List<?> pair = (List<?>) entry;
			shown.put(Integer.parseInt((String) pair.get(0)), ((Number) pair.get(1)).longValue());
		}
		return shown;
	}

	private static Result result(Duration refresh, long[] appended, Map<Integer, Long> shown,
			Map<Integer, Long> received, List<Long> frames) {
		List<Long> page = new ArrayList<>();
		List<Long> frame = new ArrayList<>();
		List<Long> browser = new ArrayList<>();
		for (int i = 0; i < appended.length; i++) {
			Long shownAt = shown.get(i);
			Long receivedAt = received.get(i);
			if (shownAt != null) {
				page.add(shownAt - appended[i]);
			}
			if (receivedAt != null) {
				frame.add(receivedAt - appended[i]);
			}
			if (shownAt != null && receivedAt != null) {
				browser.add(shownAt - receivedAt);
			}
		}
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < frames.size(); i++) {
			gaps.add(frames.get(i) - frames.get(i - 1));
		}
		return new Result(refresh, appended.length, Latencies.of(page), Latencies.of(frame), Latencies.of(browser),
				Latencies.of(gaps));
	}

	/**
	 * What one measurement found, all in milliseconds.
	 *
	 * @param refresh the sample's refresh
	 * @param appended lines appended and measured
	 * @param page append to the line in the page's DOM, for the lines that showed
	 * @param frame append to the line's frame reaching the JDK client that also follows
	 * the file: the server's part
	 * @param browser the JDK client's receipt to the page's DOM, line by line: the
	 * browser's part (both clients get the same multicast)
	 * @param frameSpacing between consecutive frames with measured lines at the JDK
	 * client: the tailer's period as clients see it
	 */
	public record Result(Duration refresh, int appended, Latencies page, Latencies frame, Latencies browser,
			Latencies frameSpacing) {

		/**
		 * Appended lines the page never showed.
		 */
		public int missing() {
			return this.appended - this.page.count();
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%d lines appended, %d never shown; append to page %s; append to frame at a JDK client %s;"
							+ " that frame to the page's DOM %s; frames %s apart",
					this.appended, missing(), this.page, this.frame, this.browser, this.frameSpacing);
		}

	}

	/**
	 * Sorted samples in milliseconds. Percentiles are nearest-rank, and printed only
	 * where the samples support them: with at least 10 samples above (a p99 needs 1,000).
	 */
	public record Latencies(long[] sorted) {

		static Latencies of(List<Long> samples) {
			return new Latencies(samples.stream().mapToLong(Long::longValue).sorted().toArray());
		}

		/**
		 * Whether at least 10 samples lie above the percentile, so that it is not one of
		 * the few largest samples.
		 */
		public boolean supports(double percent) {
			return this.sorted.length * (100 - percent) / 100 >= 10;
		}

		public int count() {
			return this.sorted.length;
		}

		/**
		 * The nearest-rank percentile, {@code NaN} without samples.
		 */
		public double percentile(double percent) {
			if (this.sorted.length == 0) {
				return Double.NaN;
			}
			int rank = (int) Math.ceil(percent / 100 * this.sorted.length);
			return this.sorted[Math.max(0, rank - 1)];
		}

		public double min() {
			return (this.sorted.length > 0) ? this.sorted[0] : Double.NaN;
		}

		public double max() {
			return percentile(100);
		}

		@Override
		public String toString() {
			StringBuilder percentiles = new StringBuilder();
			for (double percent : new double[] { 50, 90, 99 }) {
				if (supports(percent)) {
					percentiles.append(String.format(Locale.ROOT, " / p%.0f %.0f", percent, percentile(percent)));
				}
			}
			return String.format(Locale.ROOT, "min %.0f%s / max %.0f ms (n=%d)", min(), percentiles, max(), count());
		}

	}

}
