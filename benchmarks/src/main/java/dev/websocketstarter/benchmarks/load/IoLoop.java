package dev.websocketstarter.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread serving many connections with one shared read buffer.
 */
final class IoLoop implements Runnable {

	static final int BUFFER_SIZE = 256 * 1024;

	private final Selector selector;

	private final Queue<WsConnection> registrations = new ConcurrentLinkedQueue<>();

	private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);

	private final Thread thread;

	private volatile boolean running = true;

	IoLoop(String name) {
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void register(WsConnection connection) {
		this.registrations.add(connection);
		this.selector.wakeup();
	}

	@Override
	public void run() {
		while (this.running) {
			try {
				this.selector.select(100);
			}
			catch (IOException ex) {
				return;
			}
			WsConnection added;
			while ((added = this.registrations.poll()) != null) {
				try {
					added.channel().register(this.selector, SelectionKey.OP_READ, added);
				}
				catch (ClosedChannelException ex) {
					added.failed("closed before registration");
				}
			}
			Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
			while (keys.hasNext()) {
				SelectionKey key = keys.next();
				keys.remove();
				if (key.isValid() && key.isReadable()) {
					((WsConnection) key.attachment()).onReadable(this.buffer);
				}
			}
		}
	}

	void stop() {
		this.running = false;
		this.selector.wakeup();
		try {
			this.thread.join(2000);
			this.selector.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// Closing anyway
		}
	}

}
