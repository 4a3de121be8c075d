package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import dev.websocketstarter.codec.Frame;

/**
 * The publishing connection: blocking writes from one thread. It reads only its
 * handshake; whatever the server sends it later (pings) stays unread.
 */
final class Publisher implements AutoCloseable {

	private final SocketChannel channel;

	private final Target target;

	private final long run;

	private long sequence;

	Publisher(InetSocketAddress address, Target target, long run) throws IOException {
		this(address, target, target.path(), run);
	}

	/**
	 * A publisher connected to a path of its own, such as a path whose query names what
	 * it publishes to.
	 */
	Publisher(InetSocketAddress address, Target target, String path, long run) throws IOException {
		this.target = target;
		this.run = run;
		this.channel = SocketChannel.open();
		this.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		this.channel.connect(address);
		this.channel.write(ByteBuffer.wrap(WsConnection.upgradeRequest(address, target, path, false)));
		String response = readUntil("\r\n\r\n");
		if (!response.startsWith("HTTP/1.1 101")) {
			throw new IOException("Publisher upgrade refused: " + response.lines().findFirst().orElse(""));
		}
		if (target.stomp()) {
			this.channel
				.write(ByteBuffer.wrap(Target.masked(Frame.text("CONNECT\naccept-version:1.2\nhost:127.0.0.1\n\n\0"))));
			readUntil("CONNECTED");
		}
	}

	private String readUntil(String marker) throws IOException {
		StringBuilder seen = new StringBuilder();
		ByteBuffer one = ByteBuffer.allocate(1);
		long deadline = System.nanoTime() + 10_000_000_000L;
		// Byte by byte, so nothing after the marker is consumed; only during setup
		this.channel.configureBlocking(false);
		while (seen.indexOf(marker) < 0) {
			if (System.nanoTime() > deadline) {
				throw new IOException("No '" + marker.strip() + "' within 10 s, got: " + seen);
			}
			one.clear();
			int read = this.channel.read(one);
			if (read < 0) {
				throw new IOException("Closed during setup after: " + seen);
			}
			if (read == 0) {
				LockSupport.parkNanos(100_000);
			}
			else {
				seen.append((char) one.get(0));
			}
		}
		this.channel.configureBlocking(true);
		return seen.toString();
	}

	/**
	 * Publish the next message, stamped with the current time as both its intended and
	 * its actual send time.
	 * @return its sequence number
	 */
	long publish() throws IOException {
		long now = System.nanoTime();
		return publish(now, now);
	}

	/**
	 * Publish the next message, stamped with the time it was meant to go (a schedule's)
	 * and the current time.
	 * @return its sequence number
	 */
	long publish(long intendedNanos) throws IOException {
		return publish(intendedNanos, System.nanoTime());
	}

	private long publish(long intendedNanos, long sentNanos) throws IOException {
		long sequence = this.sequence++;
		byte[] frame = this.target.publishFrame(Payload.create(this.run, sequence, intendedNanos, sentNanos));
		ByteBuffer buffer = ByteBuffer.wrap(frame);
		while (buffer.hasRemaining()) {
			this.channel.write(buffer);
		}
		return sequence;
	}

	long published() {
		return this.sequence;
	}

	@Override
	public void close() {
		try {
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			this.channel.close();
		}
		catch (IOException ex) {
			// Closed anyway
		}
	}

}
