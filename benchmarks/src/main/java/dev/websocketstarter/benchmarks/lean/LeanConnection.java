package dev.websocketstarter.benchmarks.lean;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameDecoder;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.FrameListener;
import dev.websocketstarter.codec.WebSocketProtocolException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.jspecify.annotations.Nullable;

/**
 * One upgraded connection of the lean relay: non-blocking reads decoded by the starter's
 * {@link FrameDecoder}, and non-blocking writes from an outbound queue.
 * <p>
 * Reads run on Tomcat's threads, which never call {@link #onDataAvailable()} for one
 * connection twice at a time. Writes follow the Servlet rule: {@code write} only after
 * {@code isReady()} said {@code true}; Tomcat then takes the whole frame, buffering what
 * the socket does not, and {@code isReady()} stays {@code false} until it calls
 * {@link #onWritePossible()}. The writers (a relay thread draining the queue, Tomcat's
 * thread in {@code onWritePossible}, the reading thread answering a close) take the
 * connection's lock, so that one {@code isReady()} and the {@code write} after it are not
 * split by another writer. The queue itself takes frames without the lock, so a multicast
 * never waits for a socket write.
 * <p>
 * An idle connection holds the decoder's small fixed state and an empty queue; the read
 * buffer is per thread.
 */
public class LeanConnection implements HttpUpgradeHandler, ReadListener, WriteListener, FrameListener {

	static final int MAX_MESSAGE_SIZE = 64 * 1024;

	/** Frames queued but not handed to Tomcat yet, past which the peer is too slow. */
	static final int MAX_PENDING_BYTES = 512 * 1024;

	private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

	private static final byte[] CLOSE_TOO_SLOW = FrameEncoder
		.encode(Frame.close(CloseCodes.POLICY_VIOLATION, "Too slow"));

	private final FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forServer(MAX_MESSAGE_SIZE));

	private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingBytes = new AtomicInteger();

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final ReentrantLock writeLock = new ReentrantLock();

	private @Nullable LeanRelay relay;

	private @Nullable WebConnection connection;

	private @Nullable ServletInputStream in;

	private @Nullable ServletOutputStream out;

	// Set once, under the lock: the last frame this connection sends
	private volatile byte @Nullable [] closeFrame;

	// Guarded by the lock
	private boolean closeFrameWritten;

	private volatile boolean closed;

	/**
	 * Tomcat makes the instance; the servlet hands it the relay before {@link #init}.
	 */
	public LeanConnection() {
	}

	void relay(LeanRelay relay) {
		this.relay = relay;
	}

	@Override
	public void init(WebConnection connection) {
		try {
			this.connection = connection;
			this.in = connection.getInputStream();
			this.out = connection.getOutputStream();
			// Both listeners before the relay knows the connection: a send before
			// Tomcat's first onWritePossible() is only queued, as isReady() is false
			this.out.setWriteListener(this);
			this.in.setReadListener(this);
			relay().add(this);
		}
		catch (IOException ex) {
			closeNow();
		}
	}

	// Reading, on Tomcat's threads

	@Override
	public void onDataAvailable() {
		ServletInputStream in = this.in;
		byte[] buffer = READ_BUFFER.get();
		try {
			// Returning while isReady() is true would leave no read interest registered:
			// only a close stops the loop early
			while (!this.closed && this.closeFrame == null && in.isReady()) {
				int read = in.read(buffer);
				if (read < 0) {
					closeNow();
					return;
				}
				this.decoder.decode(ByteBuffer.wrap(buffer, 0, read), this);
			}
		}
		catch (WebSocketProtocolException ex) {
			close(FrameEncoder.encode(Frame.close(ex.closeCode(), "")));
		}
		catch (IOException | RuntimeException ex) {
			// A reset, or the streams closed by another thread meanwhile
			closeNow();
		}
	}

	@Override
	public void onAllDataRead() {
		closeNow();
	}

	@Override
	public void onText(String text) {
		relay().multicast(text, this);
	}

	@Override
	public void onBinary(byte[] data) {
		// Dropped, as the starter's bench handler has no onBinary
	}

	@Override
	public void onPing(byte[] payload) {
		send(FrameEncoder.encode(Frame.pong(payload)));
	}

	@Override
	public void onPong(byte[] payload) {
	}

	@Override
	public void onClose(int code, String reason) {
		close(FrameEncoder.encode((code == CloseCodes.NO_STATUS) ? Frame.close() : Frame.close(code, "")));
	}

	// Writing

	/**
	 * Queue a frame and have a relay thread write it. Never blocks: a peer whose queue
	 * passes {@link #MAX_PENDING_BYTES} is closed with 1008.
	 */
	void send(byte[] frame) {
		if (this.closed || this.closeFrame != null) {
			return;
		}
		if (this.pendingBytes.addAndGet(frame.length) > MAX_PENDING_BYTES) {
			close(CLOSE_TOO_SLOW);
			return;
		}
		this.pending.add(frame);
		if (this.drainScheduled.compareAndSet(false, true)) {
			relay().execute(this::drain);
		}
	}

	private void drain() {
		// Cleared first: a frame queued from here on schedules another drain
		this.drainScheduled.set(false);
		flush();
	}

	@Override
	public void onWritePossible() {
		flush();
	}

	/**
	 * Send {@code frame} as the last frame, drop what is still queued, and close once
	 * Tomcat has written it all.
	 */
	private void close(byte[] frame) {
		this.writeLock.lock();
		try {
			if (this.closeFrame == null) {
				this.closeFrame = frame;
			}
		}
		finally {
			this.writeLock.unlock();
		}
		flush();
	}

	private void flush() {
		this.writeLock.lock();
		try {
			flushLocked();
		}
		catch (IOException | RuntimeException ex) {
			closeNow();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private void flushLocked() throws IOException {
		if (this.closed) {
			return;
		}
		ServletOutputStream out = this.out;
		byte[] closeFrame = this.closeFrame;
		if (closeFrame == null) {
			byte[] frame;
			while ((frame = this.pending.peek()) != null) {
				if (!out.isReady()) {
					// Tomcat calls onWritePossible() once its buffer is out
					return;
				}
				this.pending.poll();
				this.pendingBytes.addAndGet(-frame.length);
				out.write(frame);
			}
			flush(out);
			return;
		}
		this.pending.clear();
		if (!out.isReady()) {
			return;
		}
		if (!this.closeFrameWritten) {
			this.closeFrameWritten = true;
			out.write(closeFrame);
			if (!flush(out)) {
				return;
			}
		}
		// All written: close
		closeNow();
	}

	/**
	 * Push what Tomcat holds in its socket write buffer to the socket: a non-blocking
	 * write that fits the buffer stays there until a flush. Allowed only while
	 * {@code isReady()} is {@code true}; when it is not, Tomcat flushes before it calls
	 * {@link #onWritePossible()}.
	 * @return whether everything went out
	 */
	private static boolean flush(ServletOutputStream out) throws IOException {
		if (!out.isReady()) {
			return false;
		}
		out.flush();
		// False while Tomcat still flushes; it calls onWritePossible() when done
		return out.isReady();
	}

	/**
	 * Close without a close frame, or after it went out. Tomcat closes the socket on the
	 * next event of the connection once both streams are closed: at once when this runs
	 * on its thread (in onDataAvailable or onWritePossible), otherwise when the peer
	 * answers the close frame or goes.
	 */
	private void closeNow() {
		this.writeLock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.pending.clear();
			if (this.relay != null) {
				this.relay.remove(this);
			}
			if (this.connection != null) {
				this.connection.close();
			}
		}
		catch (Exception ex) {
			// Closed anyway
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public void onError(Throwable ex) {
		// Both listeners: a reset or end of stream on read (Tomcat reports it as an
		// EOFException), a failed write
		closeNow();
	}

	@Override
	public void destroy() {
		// Tomcat released the socket
		this.closed = true;
		if (this.relay != null) {
			this.relay.remove(this);
		}
	}

	private LeanRelay relay() {
		LeanRelay relay = this.relay;
		if (relay == null) {
			throw new IllegalStateException("No relay: the handshake servlet sets it before init");
		}
		return relay;
	}

}
