package dev.websocketstarter.benchmarks.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The fan-out floor: a bare NIO WebSocket relay with no framework, one selector thread
 * for everything, and the handshake and frames done by hand. Like the starter's bench
 * handler, it relays each message a client sends to every other client of its one path,
 * {@value #PATH}: the frame is built once and written straight to each socket, and only
 * what a socket cannot take right now is kept for later.
 * <p>
 * It implements RFC 6455 as far as the load tool uses it, and fails the connection on
 * whatever else it meets rather than guess: masked client frames, text and binary
 * messages (fragmented too, up to 64 KiB), ping, pong and close. It selects no
 * subprotocol or extension, and passes text through without checking its UTF-8, which the
 * subscribers' own decoders do. It takes the runner's {@code --server.port} and
 * {@code --server.address} and ignores the Spring Boot arguments the other servers get.
 */
public final class NioRelayServer {

	static final String PATH = "/nio";

	/**
	 * Holds the largest frame with a read's worth of bytes after it, so that a frame
	 * never needs a buffer of its own.
	 */
	private static final int READ_BUFFER = 2 * RelayConnection.MAX_MESSAGE;

	/** Room for a burst of connects like the load tool's 64 at a time, and more. */
	private static final int ACCEPT_BACKLOG = 1024;

	/** Buffers handed to one gathering write of a backlog. */
	private static final int BATCH = 64;

	private final Selector selector;

	private final ServerSocketChannel listener;

	/** One for all connections: only the selector thread reads. */
	private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);

	private final ByteBuffer[] batch = new ByteBuffer[BATCH];

	private final Handshake handshake = new Handshake();

	private final List<RelayConnection> subscribers = new ArrayList<>();

	/** Subscribers that failed during a fan-out, closed once it is done. */
	private final List<RelayConnection> failed = new ArrayList<>();

	private NioRelayServer(InetSocketAddress address) throws IOException {
		this.selector = Selector.open();
		this.listener = ServerSocketChannel.open();
		this.listener.bind(address, ACCEPT_BACKLOG);
		this.listener.configureBlocking(false);
		this.listener.register(this.selector, SelectionKey.OP_ACCEPT);
	}

	public static void main(String[] args) throws IOException {
		String host = "127.0.0.1";
		int port = 8080;
		for (String arg : args) {
			if (arg.startsWith("--server.port=")) {
				port = Integer.parseInt(arg.substring("--server.port=".length()));
			}
			else if (arg.startsWith("--server.address=")) {
				host = arg.substring("--server.address=".length());
			}
		}
		new NioRelayServer(new InetSocketAddress(host, port)).run();
	}

	private void run() throws IOException {
		while (true) {
			this.selector.select();
			Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
			while (keys.hasNext()) {
				SelectionKey key = keys.next();
				keys.remove();
				if (!key.isValid()) {
					continue;
				}
				if (key.isAcceptable()) {
					accept();
					continue;
				}
				RelayConnection connection = (RelayConnection) key.attachment();
				int ready = key.readyOps();
				if ((ready & SelectionKey.OP_WRITE) != 0) {
					connection.onWritable();
				}
				if (key.isValid() && (ready & SelectionKey.OP_READ) != 0) {
					connection.onReadable(this.readBuffer);
				}
			}
		}
	}

	private void accept() {
		try {
			SocketChannel channel;
			while ((channel = this.listener.accept()) != null) {
				channel.configureBlocking(false);
				// Each frame is a write of its own: Nagle's algorithm would hold one back
				// until the one before is acknowledged
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				SelectionKey key = channel.register(this.selector, SelectionKey.OP_READ);
				key.attach(new RelayConnection(this, channel, key));
			}
		}
		catch (IOException ex) {
			// Out of file descriptors, most likely: the connection waits in the accept
			// queue, and the next select tries again
			System.err.println("accept failed: " + ex);
		}
	}

	/**
	 * Write a message to every subscriber but its sender: one frame for all, each socket
	 * written in turn.
	 */
	void relay(RelayConnection from, int opcode, byte[] bytes, int offset, int length) {
		ByteBuffer frame = ByteBuffer.wrap(Frames.server(opcode, bytes, offset, length));
		for (int i = 0; i < this.subscribers.size(); i++) {
			RelayConnection to = this.subscribers.get(i);
			if (to != from) {
				frame.rewind();
				if (!to.send(frame)) {
					this.failed.add(to);
				}
			}
		}
		if (!this.failed.isEmpty()) {
			// Closed only now: closing takes a subscriber out of the list being walked
			this.failed.forEach(RelayConnection::close);
			this.failed.clear();
		}
	}

	void subscribe(RelayConnection connection) {
		connection.index = this.subscribers.size();
		this.subscribers.add(connection);
	}

	/**
	 * Take a connection out of the subscribers, if it is one; the last one takes its
	 * place, as their order does not matter.
	 */
	void unsubscribe(RelayConnection connection) {
		int index = connection.index;
		if (index < 0) {
			return;
		}
		RelayConnection last = this.subscribers.remove(this.subscribers.size() - 1);
		if (last != connection) {
			this.subscribers.set(index, last);
			last.index = index;
		}
		connection.index = -1;
	}

	Handshake handshake() {
		return this.handshake;
	}

	/**
	 * An array for one gathering write, empty between uses.
	 */
	ByteBuffer[] batch() {
		return this.batch;
	}

}
