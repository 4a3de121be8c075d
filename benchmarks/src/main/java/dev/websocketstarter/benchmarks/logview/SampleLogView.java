package dev.websocketstarter.benchmarks.logview;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.benchmarks.Processes;

/**
 * The log-view sample as users run it: its repackaged Boot jar with {@code java -jar}, in
 * a JVM of its own, configured only through command-line arguments.
 */
final class SampleLogView implements AutoCloseable {

	private final Process process;

	private final int port;

	private SampleLogView(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Start the sample on a free loopback port, watching {@code file} as {@code name},
	 * and wait until it serves its login page.
	 * @param jar the sample's executable jar
	 * @param workingDirectory where the sample's own relative paths (its {@code logs/}
	 * and the files it watches by default) go
	 * @param logs where the sample's console output goes
	 */
	static SampleLogView start(Path jar, Path workingDirectory, Path logs, String name, Path file, Duration refresh,
			String password, Duration timeout) throws IOException, InterruptedException {
		Files.createDirectories(logs);
		int port = Processes.freeLoopbackPort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		command.add("-jar");
		command.add(jar.toAbsolutePath().toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		command.add("--spring.main.banner-mode=off");
		command.add("--spring.security.user.password=" + password);
		// Explicit, although 1000ms is the sample's default, so the figure names what ran
		command.add("--log-view.refresh=" + refresh.toMillis() + "ms");
		// Added to the sample's own files (its access and application logs): maps merge
		command.add("--log-view.files." + name + "=" + file.toAbsolutePath());
		Path log = logs.resolve("logview-" + port + ".log");
		Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		SampleLogView app = new SampleLogView(process, port);
		app.awaitLoginPage(log, timeout);
		return app;
	}

	/**
	 * Tomcat listens before the context is refreshed: a 200 for the login page means the
	 * security chain and the static page are in place.
	 */
	private void awaitLoginPage(Path log, Duration timeout) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create(url("/login"))).timeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("sample-logview exited with " + this.process.exitValue() + "; see " + log);
			}
			try {
				if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			Thread.sleep(200);
		}
		close();
		throw new IOException("sample-logview did not serve /login within " + timeout.toSeconds() + " s; see " + log);
	}

	int port() {
		return this.port;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	@Override
	public void close() throws InterruptedException {
		Processes.stop(this.process);
	}

}
