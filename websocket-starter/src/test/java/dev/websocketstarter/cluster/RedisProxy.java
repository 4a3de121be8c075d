package dev.websocketstarter.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a test's {@link RedisServer}, so that a
 * test can cut one node off Redis while the other nodes keep it: once cut, the proxy
 * closes every connection and closes new ones at once, until it is restored. It can also
 * hold what passes, as a Redis that does not answer, until it is resumed.
 */
final class RedisProxy implements AutoCloseable {

	private final int target;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private final Object gate = new Object();

	/** Guarded by {@link #gate}. */
	private boolean paused;

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
	 * Hold every byte through the proxy, both ways, until {@link #resume()}: the
	 * connections stay open, and nothing is answered.
	 */
	void pause() {
		synchronized (this.gate) {
			this.paused = true;
		}
	}

	/**
	 * Pass what was held, and what comes after.
	 */
	void resume() {
		synchronized (this.gate) {
			this.paused = false;
			this.gate.notifyAll();
		}
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
		byte[] buffer = new byte[8192];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				synchronized (this.gate) {
					while (this.paused) {
						this.gate.wait();
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// Cut, or closed by either end
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
