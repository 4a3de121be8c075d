package dev.websocketstarter.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket connection on the Servlet upgrade API, served with the starter's frame
 * codec, and the {@link WebSocketSession} Spring's handler sees for it.
 * <p>
 * Reads run on the container's threads, which never call {@link #onDataAvailable()} for
 * one connection twice at a time; the decoder turns the bytes into messages for the
 * handler and answers pings. Writes never block: frames go to the container only while
 * its output {@code isReady()}, and whoever writes holds the connection's write lock, so
 * frames of different writers never interleave. When the output stops taking frames, the
 * writer returns and the {@linkplain #onWritable callback} tells it when to go on.
 * <p>
 * Closing follows RFC 6455 section 7: a close frame answers the peer's at once; a close
 * frame of ours waits for the peer's answer, at most the close timeout, and a peer that
 * sent a malformed frame is closed right after the close frame. The handler hears of the
 * close when the first close frame is sent or received, or the connection is lost.
 * Handshake headers are kept only until the handler's {@code afterConnectionEstablished}
 * returns, since a connection may stay open for days and nothing needs them after that.
 */
public final class ServletWebSocketSession
		implements WebSocketSession, HttpUpgradeHandler, ReadListener, WriteListener, FrameListener {

	private static final Log logger = LogFactory.getLog("dev.websocketstarter");

	private static final AtomicLong ids = new AtomicLong();

	/** Per container thread, so an idle connection holds no read buffer. */
	private static final ThreadLocal<byte[]> readBuffers = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

	/** Per writing thread: small frames of one batch go out in one write. */
	private static final ThreadLocal<byte[]> writeBuffers = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

	private static final int MAX_CLOSE_REASON_BYTES = Frame.MAX_CONTROL_PAYLOAD - 2;

	/** Pongs waiting for a busy output, beyond which only the latest is kept. */
	private static final int MAX_WAITING_CONTROL_BYTES = 4 * 1024;

	private final Object writeLock = new Object();

	private @Nullable String id;

	private @Nullable URI uri;

	private @Nullable HttpHeaders handshakeHeaders;

	private @Nullable Map<String, Object> attributes;

	private @Nullable Principal principal;

	private @Nullable InetSocketAddress localAddress;

	private @Nullable InetSocketAddress remoteAddress;

	private @Nullable String acceptedProtocol;

	private @Nullable WebSocketHandler handler;

	private @Nullable FrameDecoder decoder;

	private long closeTimeoutMillis;

	private @Nullable WebConnection connection;

	private @Nullable ServletInputStream in;

	private @Nullable ServletOutputStream out;

	private volatile @Nullable Runnable writable;

	private volatile boolean closeSent;

	private volatile boolean closeReceived;

	/** The connection is closed, or closing with nothing more to read or write. */
	private volatile boolean gone;

	/**
	 * The peer broke the protocol: what it sent is read and dropped until none is left,
	 * as closing the socket with bytes unread would reset the connection and could lose
	 * our close frame; then the connection is closed.
	 */
	private volatile boolean protocolError;

	// Guarded by writeLock from here on

	/** A frame of the writer's batch that the output did not take: it goes first. */
	private @Nullable OutboundFrame carried;

	/** Pong frames, or a close frame, waiting for the output to take them. */
	private byte @Nullable [] control;

	/**
	 * Close the connection once {@link #control} is written: no close answer to wait for.
	 */
	private boolean closeWhenWritten;

	private @Nullable CloseStatus status;

	private boolean finished;

	private @Nullable ScheduledFuture<?> closeTimeout;

	/**
	 * The container makes instances; {@link ServletUpgradeStrategy} attaches the
	 * handshake's outcome before the container calls {@link #init}.
	 */
	public ServletWebSocketSession() {
	}

	void attach(URI uri, HttpHeaders handshakeHeaders, Map<String, Object> attributes, @Nullable Principal principal,
			@Nullable InetSocketAddress localAddress, @Nullable InetSocketAddress remoteAddress,
			@Nullable String acceptedProtocol, WebSocketHandler handler, long maxMessageSize, long closeTimeoutMillis) {
		this.id = Long.toString(ids.incrementAndGet());
		this.uri = uri;
		this.handshakeHeaders = handshakeHeaders;
		this.attributes = attributes;
		this.principal = principal;
		this.localAddress = localAddress;
		this.remoteAddress = remoteAddress;
		this.acceptedProtocol = acceptedProtocol;
		this.handler = handler;
		this.decoder = new FrameDecoder(FrameDecoder.Settings.forServer(maxMessageSize));
		this.closeTimeoutMillis = closeTimeoutMillis;
	}

	@Override
	public void init(WebConnection connection) {
		this.connection = connection;
		try {
			this.in = connection.getInputStream();
			this.out = connection.getOutputStream();
			// Before the handler hears of the connection: what it sends waits for the
			// container's first onWritePossible()
			this.out.setWriteListener(this);
		}
		catch (IOException | RuntimeException ex) {
			lost(ex);
			return;
		}
		try {
			handler().afterConnectionEstablished(this);
		}
		catch (Exception ex) {
			failed("afterConnectionEstablished", ex);
		}
		this.handshakeHeaders = null;
		// Last, so that no message reaches the handler before it saw the connection open.
		// A session the handler closed already still reads, for the peer's close frame.
		try {
			if (!this.gone) {
				this.in.setReadListener(this);
			}
		}
		catch (RuntimeException ex) {
			lost(ex);
		}
	}

	// Reading, on the container's threads

	@Override
	public void onDataAvailable() {
		ServletInputStream in = this.in;
		FrameDecoder decoder = this.decoder;
		byte[] buffer = readBuffers.get();
		try {
			// Returning while isReady() is true would leave no read interest registered:
			// only the end of the connection ends the loop early
			while (!this.closeReceived && !this.gone && in.isReady()) {
				int read = in.read(buffer);
				if (read < 0) {
					lost(null);
					return;
				}
				if (!this.protocolError) {
					try {
						decoder.decode(ByteBuffer.wrap(buffer, 0, read), this);
					}
					catch (WebSocketProtocolException ex) {
						protocolError(ex);
					}
				}
			}
			if (this.protocolError) {
				closeOnceCloseFrameWritten();
			}
		}
		catch (IOException | RuntimeException ex) {
			lost(ex);
		}
	}

	@Override
	public void onAllDataRead() {
		lost(null);
	}

	@Override
	public void onText(String text) {
		deliver(new TextMessage(text));
	}

	@Override
	public void onBinary(byte[] data) {
		deliver(new BinaryMessage(data));
	}

	@Override
	public void onPing(byte[] payload) {
		writeControl(FrameEncoder.encode(Frame.pong(payload)));
	}

	@Override
	public void onPong(byte[] payload) {
		deliver(new PongMessage(ByteBuffer.wrap(payload)));
	}

	@Override
	public void onClose(int code, String reason) {
		this.closeReceived = true;
		if (this.closeSent) {
			// The answer to ours: the close handshake is complete
			closeConnection();
			return;
		}
		CloseStatus status = (code == CloseCodes.NO_STATUS) ? CloseStatus.NO_STATUS_CODE
				: new CloseStatus(code, reason);
		// Echo the code, as section 5.5.1 suggests, then close: nothing more to wait for
		sendClose(closeFrame(status), status, true);
	}

	private void deliver(WebSocketMessage<?> message) {
		if (this.closeSent) {
			// Section 1.4: data after our close frame is read and dropped
			return;
		}
		try {
			handler().handleMessage(this, message);
		}
		catch (Exception ex) {
			failed("handleMessage", ex);
		}
	}

	private void protocolError(WebSocketProtocolException ex) {
		this.protocolError = true;
		if (this.closeReceived || this.gone) {
			// Bytes after the peer's close frame: the handler heard of the close already
			return;
		}
		try {
			handler().handleTransportError(this, ex);
		}
		catch (Exception failure) {
			logger.debug("Handler failed on a transport error of session " + this.id, failure);
		}
		CloseStatus status = new CloseStatus(ex.closeCode(), ex.getMessage());
		// Section 7.1.7: fail the connection, sending a close frame first
		sendClose(closeFrame(new CloseStatus(ex.closeCode())), status, false);
	}

	private void closeOnceCloseFrameWritten() {
		boolean written;
		synchronized (this.writeLock) {
			// Handed over is not written: what the container still holds goes out before
			// it calls onWritePossible(), which then closes
			ServletOutputStream out = this.out;
			written = this.control == null && out != null && out.isReady();
			this.closeWhenWritten = true;
		}
		if (written) {
			closeConnection();
		}
	}

	// Writing

	/**
	 * Set what to call when the output, which stopped taking frames, can take them again.
	 * Called on a container thread; it should not write there but wake the writer.
	 * @param writable the callback
	 */
	public void onWritable(Runnable writable) {
		this.writable = writable;
	}

	/**
	 * Write frames from the source as long as the output takes them, small frames
	 * gathered into few writes, then flush. One thread at a time should call this for one
	 * connection; it never blocks on the peer.
	 * @param frames the frames to write; {@code null} when none is left for this batch
	 * @return {@code true} if the source ran dry and everything went out, or the session
	 * is closing and writes no more data; {@code false} if the output is busy, in which
	 * case the {@linkplain #onWritable callback} is called when it is free again
	 * @throws IOException if the connection failed
	 */
	public boolean writeFrames(Supplier<? extends @Nullable OutboundFrame> frames) throws IOException {
		synchronized (this.writeLock) {
			ServletOutputStream out = this.out;
			if (this.closeSent || this.gone || out == null) {
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
				frame = frames.get();
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
				frame = frames.get();
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
	 * Write the waiting control frame, if any.
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

	private void writeControl(byte[] frame) {
		boolean failed = false;
		synchronized (this.writeLock) {
			ServletOutputStream out = this.out;
			if (this.closeSent || this.gone || out == null) {
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
			lost(null);
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
		synchronized (this.writeLock) {
			ServletOutputStream out = this.out;
			if (this.gone || out == null) {
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
			lost(null);
			return;
		}
		if (closeNow) {
			closeConnection();
			return;
		}
		Runnable writable = this.writable;
		if (writable != null && !this.closeSent) {
			writable.run();
		}
	}

	// Closing

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	/**
	 * Send a close frame after the frames written so far, and close the connection once
	 * the peer answered, or after the close timeout.
	 * {@link CloseStatus#SESSION_NOT_RELIABLE} closes at once without a close frame.
	 */
	@Override
	public void close(CloseStatus status) {
		if (status.equalsCode(CloseStatus.SESSION_NOT_RELIABLE)) {
			abort();
			return;
		}
		sendClose(closeFrame(status), status, false);
	}

	/**
	 * Close the connection at once, without a close frame: it is broken or its peer is
	 * gone.
	 */
	public void abort() {
		synchronized (this.writeLock) {
			if (this.status == null) {
				this.status = CloseStatus.NO_CLOSE_FRAME;
			}
		}
		closeConnection();
	}

	private static byte[] closeFrame(CloseStatus status) {
		int code = status.getCode();
		if (!CloseCodes.isValidOnWire(code)) {
			return FrameEncoder.encode(Frame.close());
		}
		String reason = (status.getReason() != null) ? status.getReason() : "";
		while (reason.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON_BYTES) {
			reason = reason.substring(0, reason.length() - 1);
		}
		return FrameEncoder.encode(Frame.close(code, reason));
	}

	private void sendClose(byte[] frame, CloseStatus status, boolean closeWhenWritten) {
		boolean closeNow = false;
		synchronized (this.writeLock) {
			ServletOutputStream out = this.out;
			if (this.closeSent || this.gone) {
				return;
			}
			this.closeSent = true;
			this.status = status;
			this.carried = null;
			// After the pongs that wait: they answer pings that came before
			this.control = (this.control != null) ? concat(this.control, frame) : frame;
			this.closeWhenWritten = closeWhenWritten;
			try {
				if (out != null && out.isReady() && writeControlLocked(out) && flushLocked(out)) {
					closeNow = closeWhenWritten;
				}
			}
			catch (IOException | RuntimeException ex) {
				closeNow = true;
			}
			if (!closeNow) {
				// Bounds both a peer that reads too slowly to take the frame and one that
				// never answers it
				this.closeTimeout = Closer.scheduler.schedule(this::closeTimedOut, this.closeTimeoutMillis,
						TimeUnit.MILLISECONDS);
			}
		}
		if (closeNow) {
			closeConnection();
		}
		else {
			// The session is closed for the handler once the close frame is sent, as with
			// the container's WebSocket layer; the connection waits for the answer alone
			finish();
		}
	}

	private void closeTimedOut() {
		if (!this.gone) {
			logger.debug("Session " + this.id + " did not finish its close handshake in time; closing its connection");
			closeConnection();
		}
	}

	private void lost(@Nullable Throwable failure) {
		if (failure != null && !this.gone && logger.isDebugEnabled()) {
			logger.debug("Connection of session " + this.id + " failed: " + failure);
		}
		// A reset or failed read or write is a transport error for the handler; the end
		// of the stream is only a close without a close frame
		if (failure instanceof IOException && !(failure instanceof EOFException) && isOpen()) {
			try {
				handler().handleTransportError(this, failure);
			}
			catch (Exception ex) {
				logger.debug("Handler failed on a transport error of session " + this.id, ex);
			}
		}
		abort();
	}

	/**
	 * Close the streams and the socket; the container then releases the connection.
	 */
	private void closeConnection() {
		synchronized (this.writeLock) {
			if (this.gone) {
				return;
			}
			this.gone = true;
			this.control = null;
			this.carried = null;
			cancelCloseTimeout();
		}
		WebConnection connection = this.connection;
		ServletOutputStream out = this.out;
		try {
			if (connection != null) {
				connection.close();
			}
		}
		catch (Exception ex) {
			// Closed anyway: the socket close below still applies
		}
		if (out != null) {
			ContainerSockets.close(out);
		}
		finish();
	}

	private void cancelCloseTimeout() {
		ScheduledFuture<?> timeout = this.closeTimeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	@Override
	public void onError(Throwable failure) {
		// Both listeners: a reset or the end of the stream on read (Tomcat reports the
		// latter as an EOFException), a failed write
		lost(failure);
	}

	@Override
	public void destroy() {
		// The container released the connection, whoever closed it
		synchronized (this.writeLock) {
			this.gone = true;
			cancelCloseTimeout();
		}
		finish();
	}

	/**
	 * Tell the handler once that the session is closed.
	 */
	private void finish() {
		CloseStatus status;
		synchronized (this.writeLock) {
			if (this.finished || this.handler == null) {
				return;
			}
			this.finished = true;
			status = (this.status != null) ? this.status : CloseStatus.NO_CLOSE_FRAME;
		}
		try {
			handler().afterConnectionClosed(this, status);
		}
		catch (Exception ex) {
			logger.warn("Handler failed in afterConnectionClosed of session " + this.id, ex);
		}
	}

	private void failed(String callback, Exception ex) {
		logger.warn("Handler failed in " + callback + " of session " + this.id + "; closing it with 1011", ex);
		close(CloseStatus.SERVER_ERROR);
	}

	private WebSocketHandler handler() {
		WebSocketHandler handler = this.handler;
		if (handler == null) {
			throw new IllegalStateException("Not attached: the upgrade strategy attaches a session before init");
		}
		return handler;
	}

	// WebSocketSession

	@Override
	public String getId() {
		return (this.id != null) ? this.id : "";
	}

	@Override
	public @Nullable URI getUri() {
		return this.uri;
	}

	/**
	 * The headers of the handshake request, until the handler's
	 * {@code afterConnectionEstablished} returned; empty afterwards.
	 */
	@Override
	public HttpHeaders getHandshakeHeaders() {
		HttpHeaders headers = this.handshakeHeaders;
		return (headers != null) ? headers : HttpHeaders.EMPTY;
	}

	@Override
	public Map<String, Object> getAttributes() {
		Map<String, Object> attributes = this.attributes;
		return (attributes != null) ? attributes : Map.of();
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return this.principal;
	}

	@Override
	public @Nullable InetSocketAddress getLocalAddress() {
		return this.localAddress;
	}

	@Override
	public @Nullable InetSocketAddress getRemoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public @Nullable String getAcceptedProtocol() {
		return this.acceptedProtocol;
	}

	/**
	 * Has no effect: {@code max-message-size} bounds every message, text or binary.
	 */
	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getTextMessageSizeLimit() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Has no effect: {@code max-message-size} bounds every message, text or binary.
	 */
	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getBinaryMessageSizeLimit() {
		return Integer.MAX_VALUE;
	}

	@Override
	public List<WebSocketExtension> getExtensions() {
		return List.of();
	}

	/**
	 * Write one whole message now, for callers other than the channel registry, which
	 * writes through {@link #writeFrames}.
	 * @throws IllegalArgumentException if the message is a part of one, or a ping or pong
	 * of more than 125 bytes
	 * @throws IOException if the output is busy with earlier frames, or the session is
	 * closed
	 */
	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (!message.isLast()) {
			throw new IllegalArgumentException("Partial messages are not supported; send the message whole");
		}
		byte opcode;
		ByteBuffer payload;
		if (message instanceof TextMessage text) {
			opcode = 0x1;
			payload = ByteBuffer.wrap(text.asBytes());
		}
		else if (message instanceof BinaryMessage binary) {
			opcode = 0x2;
			payload = binary.getPayload().duplicate();
		}
		else if (message instanceof PingMessage ping) {
			opcode = 0x9;
			payload = ping.getPayload().duplicate();
		}
		else if (message instanceof PongMessage pong) {
			opcode = 0xA;
			payload = pong.getPayload().duplicate();
		}
		else {
			throw new IllegalArgumentException("Unknown message type " + message.getClass().getName());
		}
		if (opcode >= 0x8 && payload.remaining() > Frame.MAX_CONTROL_PAYLOAD) {
			throw new IllegalArgumentException("A ping or pong carries at most " + Frame.MAX_CONTROL_PAYLOAD
					+ " bytes, not " + payload.remaining());
		}
		byte[] frame = new byte[FrameEncoder.headerLength(payload.remaining(), false) + payload.remaining()];
		encode(opcode, payload, frame, 0);
		synchronized (this.writeLock) {
			ServletOutputStream out = this.out;
			if (!isOpen() || out == null) {
				throw new IOException("Session " + this.id + " is closed");
			}
			if (!out.isReady() || this.control != null || this.carried != null) {
				throw new IOException("Session " + this.id + " is busy writing earlier frames");
			}
			out.write(frame);
			flushLocked(out);
		}
	}

	@Override
	public boolean isOpen() {
		return !this.closeSent && !this.closeReceived && !this.gone;
	}

	@Override
	public String toString() {
		return "ServletWebSocketSession[id=" + this.id + ", uri=" + this.uri + "]";
	}

	/**
	 * Times close handshakes out; one daemon thread for all sessions, made on first use.
	 */
	private static final class Closer {

		static final ScheduledExecutorService scheduler = create();

		private static ScheduledExecutorService create() {
			ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "ws-close-timeout");
				thread.setDaemon(true);
				return thread;
			});
			scheduler.setRemoveOnCancelPolicy(true);
			return scheduler;
		}

	}

}
