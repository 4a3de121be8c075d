package dev.websocketstarter.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a test's {@link RedisServer}, so that a
 * test can cut one node off Redis while the other nodes keep it: once cut, the proxy
 * closes every connection and closes new ones at once, until it is restored.
 */
final class RedisProxy implements AutoCloseable {

	private final int target;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private RedisProxy(int target) throws IOException {
		this.target = target;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		daemon(this::accept, "redis-proxy");
	}

	static RedisProxy start(RedisServer redis) {
		try {
			return new RedisProxy(redis.port());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Close every connection to Redis through the proxy, and refuse new ones.
	 */
	void cut() {
		this.cut = true;
		closeAll();
	}

	/**
	 * Let connections through again.
	 */
	void restore() {
		this.cut = false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				// Closed
				return;
			}
			if (this.cut) {
				close(client);
				continue;
			}
			try {
				Socket redis = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.sockets.add(client);
				this.sockets.add(redis);
				if (this.cut) {
					// Cut meanwhile
					closeAll();
					continue;
				}
				daemon(() -> pump(client, redis), "redis-proxy-out");
				daemon(() -> pump(redis, client), "redis-proxy-in");
			}
			catch (IOException ex) {
				// Redis is down: so is the connection through the proxy
				close(client);
			}
		}
	}

	private void pump(Socket from, Socket to) {
		try {
			from.getInputStream().transferTo(to.getOutputStream());
		}
		catch (IOException ex) {
			// Cut, or closed by either end
		}
		finally {
			close(from);
			close(to);
		}
	}

	private void closeAll() {
		for (Socket socket : this.sockets) {
			close(socket);
		}
	}

	private void close(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closed already
		}
	}

	private static void daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closed already
		}
		closeAll();
	}

}
