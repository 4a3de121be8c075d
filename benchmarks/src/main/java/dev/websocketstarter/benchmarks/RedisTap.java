package dev.websocketstarter.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A relay of the benchmark's own between one node and Redis, on a loopback port of its
 * own, that counts what crosses it: the commands the node sends, by name, and the pub/sub
 * messages Redis pushes to the node, by channel ({@link RespCounter}). Redis 7.0 keeps no
 * count of the messages it sends to subscribers ({@code CLIENT LIST} gives buffer sizes,
 * not totals), so this counts them on the wire, whatever routing the node uses. Bytes are
 * passed on before they are parsed; each connection costs two threads, named
 * {@code redis-tap-}.
 */
final class RedisTap implements AutoCloseable {

	private final String name;

	private final ServerSocket server;

	private final InetSocketAddress redis;

	private final Map<String, LongAdder> commands = RespCounter.counters();

	private final Map<String, LongAdder> pushes = RespCounter.counters();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final LongAdder connections = new LongAdder();

	private RedisTap(String name, ServerSocket server, InetSocketAddress redis) {
		this.name = name;
		this.server = server;
		this.redis = redis;
	}

	/**
	 * Listen on a free loopback port for connections to pass on to Redis.
	 */
	static RedisTap start(String name, int redisPort) throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		RedisTap tap = new RedisTap(name, server, new InetSocketAddress(InetAddress.getLoopbackAddress(), redisPort));
		Thread acceptor = new Thread(tap::accept, "redis-tap-" + name + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return tap;
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * The connections the node opened to Redis so far.
	 */
	long connections() {
		return this.connections.sum();
	}

	/**
	 * The commands the node sent so far, by lower-case name.
	 */
	Map<String, Long> commands() {
		return RespCounter.snapshot(this.commands);
	}

	/**
	 * The pub/sub messages Redis pushed to the node so far, by channel.
	 */
	Map<String, Long> pushes() {
		return RespCounter.snapshot(this.pushes);
	}

	private void accept() {
		int connection = 0;
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.connections.increment();
				Socket upstream = new Socket();
				upstream.connect(this.redis, 2000);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(upstream);
				String prefix = "redis-tap-" + this.name + "-" + connection++;
				pump(client, upstream, new RespCounter(this.commands, this.pushes), prefix + "-up");
				pump(upstream, client, new RespCounter(this.commands, this.pushes), prefix + "-down");
			}
			catch (IOException ex) {
				// Closed, or Redis refused one connection: the node sees it closed
			}
		}
	}

	private void pump(Socket from, Socket to, RespCounter counter, String threadName) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[65536];
			try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
				int read;
				while ((read = input.read(buffer)) >= 0) {
					output.write(buffer, 0, read);
					output.flush();
					counter.feed(buffer, read);
				}
			}
			catch (IOException ex) {
				// One side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, threadName);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closed anyway
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closed anyway
		}
		this.sockets.forEach(RedisTap::closeQuietly);
	}

}
