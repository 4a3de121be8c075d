package dev.websocketstarter.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} from the PATH on a free loopback port, without persistence,
 * that a test can stop and start again on the same port. Public for the samples' cluster
 * tests.
 */
public final class RedisServer implements AutoCloseable {

	private final int port;

	private final List<String> arguments;

	private @Nullable Process process;

	private RedisServer(int port, List<String> arguments) {
		this.port = port;
		this.arguments = arguments;
	}

	public static RedisServer start() {
		return start(List.of());
	}

	/**
	 * Start a server with more arguments, such as {@code --tls-port} or {@code --user}.
	 * @param arguments the arguments, after the port and the loopback binding
	 * @return the server, answering
	 */
	public static RedisServer start(List<String> arguments) {
		// A free port may be taken by another process before redis-server binds it: then
		// it exits, and another port is tried
		for (int attempt = 1;; attempt++) {
			RedisServer server = new RedisServer(freePort(), List.copyOf(arguments));
			try {
				server.restart();
				return server;
			}
			catch (PortTakenException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	/**
	 * A free port on loopback, such as for a server's TLS port.
	 * @return the port
	 */
	public static int freeLoopbackPort() {
		return freePort();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/**
	 * Start the server on its port, and wait until it answers.
	 */
	public void restart() {
		try {
			List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(this.port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
			command.addAll(this.arguments);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"redis-server is not on the PATH: install it (apt-get install redis-server) or run ./test.sh", ex);
		}
		Process started = this.process;
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !started.isAlive() || answersPing());
		if (!started.isAlive()) {
			this.process = null;
			throw new PortTakenException("redis-server exited at start on port " + this.port + " (exit code "
					+ started.exitValue() + "); is the port taken?");
		}
	}

	/**
	 * Make the server stop answering for a while, as a slow or overloaded one does, with
	 * {@code DEBUG SLEEP}: start it with {@code --enable-debug-command local} for that.
	 * Returns once the server no longer answers.
	 * @param duration how long the server sleeps
	 * @return the {@code redis-cli} that waits for the server: alive while it sleeps
	 */
	public Process sleep(Duration duration) {
		Process cli;
		try {
			cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(this.port), "DEBUG", "SLEEP",
					String.valueOf(duration.toMillis() / 1000.0))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-cli is not on the PATH", ex);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !cli.isAlive() || !answersPing(200));
		if (!cli.isAlive()) {
			throw new IllegalStateException("DEBUG SLEEP ended at once on port " + this.port
					+ "; was the server started with --enable-debug-command local?");
		}
		return cli;
	}

	/**
	 * Run a command with {@code redis-cli} against the server.
	 * @param command the command and its arguments
	 * @return the answer as {@code redis-cli} prints it to a pipe: one value a line
	 */
	public String cli(String... command) {
		List<String> all = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(this.port)));
		all.addAll(List.of(command));
		try {
			Process cli = new ProcessBuilder(all).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!cli.waitFor(30, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
				throw new IllegalStateException("redis-cli did not finish: " + all);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-cli is not on the PATH", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The lines of the server's answer to a command, blank ones left out.
	 * @param command the command and its arguments
	 * @return the lines
	 */
	public List<String> cliLines(String... command) {
		return cli(command).lines().filter((line) -> !line.isBlank()).toList();
	}

	private boolean answersPing() throws IOException {
		return answersPing(500);
	}

	private boolean answersPing(int timeoutMillis) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			OutputStream output = socket.getOutputStream();
			output.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			// +PONG, or -NOAUTH from a server whose default user is off: it answers
			int first = input.read();
			return first == '+' || first == '-';
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
	}

	/**
	 * Stop the server, and wait until it is gone.
	 */
	public void stop() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * The server exited as it started, as it does when its port is taken.
	 */
	static final class PortTakenException extends IllegalStateException {

		PortTakenException(String message) {
			super(message);
		}

	}

}
