package dev.websocketstarter.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.internal.transport.FrameSource;
import dev.websocketstarter.internal.transport.OutboundFrame;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.jspecify.annotations.Nullable;

/**
 * The output of an {@link UpgradedConnection}, which never blocks: frames go to the
 * container only while its output {@code isReady()}, and whoever writes holds the
 * connection's lock, so frames of different writers never interleave. When the output
 * stops taking frames, the writer returns; {@link #onWritePossible()} writes what waits
 * of the connection's own (pongs, the close frame) and wakes the writer.
 */
final class UpgradedOutput implements WriteListener {

	/** Per writing thread: small frames of one batch go out in one write. */
	private static final ThreadLocal<byte[]> writeBuffers = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

	/** Pongs waiting for a busy output, beyond which only the latest is kept. */
	private static final int MAX_WAITING_CONTROL_BYTES = 4 * 1024;

	private final UpgradedConnection connection;

	private final Object lock;

	private @Nullable ServletOutputStream out;

	// Guarded by lock

	/** A frame of the writer's batch that the output did not take: it goes first. */
	private @Nullable OutboundFrame carried;

	/** Pong frames, or a close frame, waiting for the output to take them. */
	private byte @Nullable [] control;

	/**
	 * Close the connection once {@link #control} is written: no close answer to wait for.
	 */
	private boolean closeWhenWritten;

	UpgradedOutput(UpgradedConnection connection, Object lock) {
		this.connection = connection;
		this.lock = lock;
	}

	void init(ServletOutputStream out) {
		this.out = out;
		out.setWriteListener(this);
	}

	/**
	 * Write frames from the source as long as the output takes them, small frames
	 * gathered into few writes, then flush.
	 * @return {@code true} if the source ran dry and everything went out, or the
	 * connection is closing and writes no more data; {@code false} if the output is busy
	 */
	boolean writeFrames(FrameSource frames) throws IOException {
		synchronized (this.lock) {
			ServletOutputStream out = this.out;
			if (this.connection.closeSent || this.connection.gone || out == null) {
				return true;
			}
			if (!out.isReady() || !writeControlLocked(out)) {
				return false;
			}
			byte[] buffer = writeBuffers.get();
			int length = 0;
			OutboundFrame frame = this.carried;
			this.carried = null;
			if (frame == null) {
				frame = frames.next();
			}
			while (frame != null) {
				ByteBuffer payload = frame.payload();
				int size = payload.remaining();
				int frameLength = FrameEncoder.headerLength(size, false) + size;
				if (length > 0 && length + frameLength > buffer.length) {
					out.write(buffer, 0, length);
					length = 0;
					if (!out.isReady()) {
						this.carried = frame;
						return false;
					}
				}
				if (frameLength > buffer.length) {
					// Rare: one write of its own, so that a busy output never splits it
					byte[] whole = new byte[frameLength];
					encode(frame.opcode(), payload, whole, 0);
					out.write(whole);
					if (!out.isReady()) {
						return false;
					}
				}
				else {
					length += encode(frame.opcode(), payload, buffer, length);
				}
				frame = frames.next();
			}
			if (length > 0) {
				out.write(buffer, 0, length);
			}
			return flushLocked(out);
		}
	}

	private static int encode(byte opcode, ByteBuffer payload, byte[] target, int offset) {
		int size = payload.remaining();
		int header = FrameEncoder.encodeHeader(opcode, size, target, offset);
		payload.get(target, offset + header, size);
		return header + size;
	}

	/**
	 * Hand what the container holds to the socket; allowed only while the output is
	 * ready. A write that fits the container's socket buffer otherwise waits there.
	 * @return whether everything went out
	 */
	private static boolean flushLocked(ServletOutputStream out) throws IOException {
		if (!out.isReady()) {
			return false;
		}
		out.flush();
		// False while the container still flushes; it calls onWritePossible() when done
		return out.isReady();
	}

	/**
	 * Write the waiting control frames, if any.
	 * @return whether the output can take more
	 */
	private boolean writeControlLocked(ServletOutputStream out) throws IOException {
		byte[] control = this.control;
		if (control == null) {
			return true;
		}
		this.control = null;
		out.write(control);
		return out.isReady();
	}

	/**
	 * Write a pong now, or as soon as the output takes it.
	 */
	void writeControl(byte[] frame) {
		boolean failed = false;
		synchronized (this.lock) {
			ServletOutputStream out = this.out;
			if (this.connection.closeSent || this.connection.gone || out == null) {
				return;
			}
			byte[] waiting = this.control;
			if (waiting == null || waiting.length + frame.length > MAX_WAITING_CONTROL_BYTES) {
				// Section 5.5.3 allows answering only the latest ping: a peer that pings
				// faster than it reads gets no more
				this.control = frame;
			}
			else {
				this.control = concat(waiting, frame);
			}
			try {
				if (out.isReady() && writeControlLocked(out)) {
					flushLocked(out);
				}
			}
			catch (IOException | RuntimeException ex) {
				failed = true;
			}
		}
		if (failed) {
			this.connection.lost(null);
		}
	}

	/**
	 * Queue the close frame after the pongs that wait, which answer pings that came
	 * before, and write what the output takes; no data frame follows it.
	 * @return whether it was all written
	 */
	boolean queueCloseFrameLocked(byte[] frame, boolean closeWhenWritten) throws IOException {
		this.carried = null;
		this.control = (this.control != null) ? concat(this.control, frame) : frame;
		this.closeWhenWritten = closeWhenWritten;
		ServletOutputStream out = this.out;
		return out != null && out.isReady() && writeControlLocked(out) && flushLocked(out);
	}

	/**
	 * Close the connection once the close frame is written.
	 * @return whether it is written already, so the caller closes now
	 */
	boolean closeWhenWritten() {
		synchronized (this.lock) {
			// Handed over is not written: what the container still holds goes out before
			// it calls onWritePossible(), which then closes
			ServletOutputStream out = this.out;
			this.closeWhenWritten = true;
			return this.control == null && out != null && out.isReady();
		}
	}

	void discardLocked() {
		this.control = null;
		this.carried = null;
	}

	/**
	 * Close the socket under the output from any thread.
	 */
	void closeSocket() {
		ServletOutputStream out = this.out;
		if (out != null) {
			ContainerSockets.close(out);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	@Override
	public void onWritePossible() {
		boolean closeNow = false;
		boolean failed = false;
		synchronized (this.lock) {
			ServletOutputStream out = this.out;
			if (this.connection.gone || out == null) {
				return;
			}
			try {
				// The writer may have filled the output again since the container decided
				// to call this
				boolean written = this.control == null
						|| (out.isReady() && writeControlLocked(out) && flushLocked(out));
				closeNow = written && this.closeWhenWritten;
			}
			catch (IOException | RuntimeException ex) {
				failed = true;
			}
		}
		if (failed) {
			this.connection.lost(null);
			return;
		}
		if (closeNow) {
			this.connection.closeConnection();
			return;
		}
		this.connection.writable();
	}

	@Override
	public void onError(Throwable failure) {
		// A failed write
		this.connection.lost(failure);
	}

}
