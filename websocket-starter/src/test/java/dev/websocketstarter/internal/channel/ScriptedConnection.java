package dev.websocketstarter.internal.channel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.FrameSource;
import dev.websocketstarter.internal.transport.OutboundFrame;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A {@link Connection} without a socket, for tests of the channel that drives it: it
 * records the frames handed to it, takes only as many as it is given room for, and
 * reports its close back to the channel as a transport would.
 */
final class ScriptedConnection implements Connection {

	final List<String> frames = new CopyOnWriteArrayList<>();

	final List<Integer> batches = new CopyOnWriteArrayList<>();

	private final boolean blocks;

	private volatile int room = Integer.MAX_VALUE;

	private volatile @Nullable ConnectionHandler handler;

	private volatile @Nullable CloseStatus closedWith;

	private volatile boolean aborted;

	ScriptedConnection(boolean blocks) {
		this.blocks = blocks;
	}

	void handler(ConnectionHandler handler) {
		this.handler = handler;
	}

	/**
	 * Take no more frames until {@link #makeRoom} is called.
	 */
	void fill() {
		this.room = 0;
	}

	/**
	 * Take this many more frames, and tell the channel so.
	 */
	void makeRoom(int frames) {
		this.room = frames;
		ConnectionHandler handler = this.handler;
		if (handler != null) {
			handler.onWritable();
		}
	}

	@Override
	public boolean write(FrameSource source) {
		int taken = 0;
		while (this.room > 0) {
			OutboundFrame frame = source.next();
			if (frame == null) {
				this.batches.add(taken);
				return true;
			}
			this.frames.add(describe(frame));
			taken++;
			if (this.room != Integer.MAX_VALUE) {
				this.room--;
			}
		}
		this.batches.add(taken);
		return false;
	}

	private static String describe(OutboundFrame frame) {
		return switch (frame.opcode()) {
			case 0x1 -> StandardCharsets.UTF_8.decode(frame.payload()).toString();
			case 0x9 -> "<ping>";
			default -> "<binary " + frame.payload().remaining() + ">";
		};
	}

	@Override
	public boolean blocks() {
		return this.blocks;
	}

	@Override
	public void close(CloseStatus status) {
		this.closedWith = status;
		ConnectionHandler handler = this.handler;
		if (handler != null) {
			handler.onClosed(status);
		}
	}

	@Override
	public void abort() {
		this.aborted = true;
		ConnectionHandler handler = this.handler;
		if (handler != null) {
			handler.onClosed(CloseStatus.NO_CLOSE_FRAME);
		}
	}

	@Nullable CloseStatus closedWith() {
		return this.closedWith;
	}

	boolean aborted() {
		return this.aborted;
	}

	@Override
	public boolean isOpen() {
		return this.closedWith == null && !this.aborted;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return null;
	}

}
