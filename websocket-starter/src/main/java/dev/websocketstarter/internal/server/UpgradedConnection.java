package dev.websocketstarter.internal.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.codec.CloseCodes;
import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameDecoder;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.WebSocketProtocolException;
import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.internal.transport.FrameSource;
import dev.websocketstarter.internal.transport.UpgradeRequest;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A WebSocket connection on the Servlet upgrade API, served with the starter's frame
 * codec: {@link UpgradedInput} reads, {@link UpgradedOutput} writes without blocking, and
 * this class keeps the connection's life and its close handshake.
 * <p>
 * Closing follows RFC 6455 section 7: a close frame answers the peer's at once; a close
 * frame of ours waits for the peer's answer, at most the close timeout, and a peer that
 * sent a malformed frame is closed right after the close frame. The handler hears of the
 * close when the first close frame is sent or received, or the connection is lost. The
 * handshake's headers are dropped once the handler's {@code onOpen} returns, since a
 * connection may stay open for days and nothing needs them after that.
 */
public final class UpgradedConnection implements HttpUpgradeHandler, Connection {

	private static final Log logger = LogFactory.getLog("dev.websocketstarter");

	private static final AtomicLong ids = new AtomicLong();

	private static final int MAX_CLOSE_REASON_BYTES = Frame.MAX_CONTROL_PAYLOAD - 2;

	private final UpgradedOutput output = new UpgradedOutput(this);

	/**
	 * Guards the output and the close handshake: the output itself, as an idle
	 * connection's memory counts and a lock object of its own would take 16 bytes.
	 */
	private final Object lock = this.output;

	private long id;

	private @Nullable ConnectionAcceptor acceptor;

	private @Nullable UpgradeRequest request;

	private @Nullable InetSocketAddress remoteAddress;

	private long maxMessageSize;

	private long closeTimeoutMillis;

	private volatile @Nullable ConnectionHandler handler;

	private @Nullable WebConnection connection;

	volatile boolean closeSent;

	volatile boolean closeReceived;

	/** The connection is closed, or closing with nothing more to read or write. */
	volatile boolean gone;

	// Guarded by lock

	private @Nullable CloseStatus status;

	private boolean finished;

	private @Nullable ScheduledFuture<?> closeTimeout;

	/**
	 * The container makes instances; {@link ServletUpgradeStrategy} attaches the
	 * handshake's outcome before the container calls {@link #init}.
	 */
	public UpgradedConnection() {
	}

	void attach(ConnectionAcceptor acceptor, UpgradeRequest request, long maxMessageSize, long closeTimeoutMillis) {
		this.id = ids.incrementAndGet();
		this.acceptor = acceptor;
		this.request = request;
		this.remoteAddress = request.remoteAddress();
		this.maxMessageSize = maxMessageSize;
		this.closeTimeoutMillis = closeTimeoutMillis;
	}

	@Override
	public void init(WebConnection connection) {
		this.connection = connection;
		ConnectionAcceptor acceptor = this.acceptor;
		UpgradeRequest request = this.request;
		if (acceptor == null || request == null) {
			throw new IllegalStateException("Not attached: the upgrade strategy attaches a connection before init");
		}
		ServletInputStream in;
		try {
			in = connection.getInputStream();
			// Before the handler hears of the connection: what it sends waits for the
			// container's first onWritePossible()
			this.output.init(connection.getOutputStream());
		}
		catch (IOException | RuntimeException ex) {
			lost(ex);
			return;
		}
		ConnectionHandler handler = acceptor.accept(this);
		this.handler = handler;
		handler.onOpen(request);
		this.request = null;
		// Last, so that no message reaches the handler before it saw the connection open.
		// A connection the handler closed already still reads, for the peer's close
		// frame.
		try {
			if (!this.gone) {
				in.setReadListener(new UpgradedInput(this, in,
						new FrameDecoder(FrameDecoder.Settings.forServer(this.maxMessageSize))));
			}
		}
		catch (RuntimeException ex) {
			lost(ex);
		}
	}

	/**
	 * The handler of this connection's events; it exists from {@link #init} on, before
	 * anything is read.
	 */
	ConnectionHandler handler() {
		ConnectionHandler handler = this.handler;
		if (handler == null) {
			throw new IllegalStateException("No handler before init");
		}
		return handler;
	}

	// Writing

	@Override
	public boolean write(FrameSource frames) throws IOException {
		return this.output.writeFrames(frames);
	}

	@Override
	public boolean blocks() {
		return false;
	}

	/**
	 * Answer a ping.
	 */
	void pong(byte[] payload) {
		this.output.writeControl(FrameEncoder.encode(Frame.pong(payload)));
	}

	/**
	 * The output can take frames again, and has no frame of its own waiting.
	 */
	void writable() {
		ConnectionHandler handler = this.handler;
		if (handler != null && !this.closeSent) {
			handler.onWritable();
		}
	}

	// Closing

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
		if (sendClose(closeFrame(status), status, false)) {
			closeConnection();
		}
		else {
			// The connection is closed for the handler once the close frame is sent, as
			// with the container's WebSocket layer; it waits for the answer alone
			finish();
		}
	}

	/**
	 * The peer's close frame arrived.
	 */
	void closeReceived(int code, String reason) {
		this.closeReceived = true;
		if (this.closeSent) {
			// The answer to ours: the close handshake is complete
			closeConnection();
			return;
		}
		CloseStatus status = (code == CloseCodes.NO_STATUS) ? CloseStatus.NO_STATUS_CODE
				: new CloseStatus(code, reason);
		// Echo the code, as section 5.5.1 suggests, then close: nothing more to wait for
		if (sendClose(closeFrame(status), status, true)) {
			closeConnection();
		}
		else {
			finish();
		}
	}

	/**
	 * The peer broke the protocol (section 7.1.7): our close frame goes first, so that
	 * whatever the handler does next cannot change it; what the peer sends after is read
	 * and dropped, then the connection is closed.
	 */
	void protocolError(WebSocketProtocolException ex) {
		if (this.closeReceived || this.gone) {
			// Bytes after the peer's close frame: the handler heard of the close already
			return;
		}
		boolean closeNow = sendClose(closeFrame(new CloseStatus(ex.closeCode())),
				new CloseStatus(ex.closeCode(), ex.getMessage()), false);
		handler().onError(ex);
		if (closeNow) {
			closeConnection();
		}
		else {
			finish();
		}
	}

	/**
	 * Close once our close frame is written, after a protocol error.
	 */
	void closeOnceCloseFrameWritten() {
		if (this.output.closeWhenWritten()) {
			closeConnection();
		}
	}

	/**
	 * Close the connection at once, without a close frame: it is broken or its peer is
	 * gone.
	 */
	@Override
	public void abort() {
		synchronized (this.lock) {
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

	/**
	 * Send a close frame, once.
	 * @param closeWhenWritten whether to close the connection once the frame is written,
	 * with no answer to wait for
	 * @return whether to close the connection now
	 */
	private boolean sendClose(byte[] frame, CloseStatus status, boolean closeWhenWritten) {
		synchronized (this.lock) {
			if (this.closeSent || this.gone) {
				return false;
			}
			this.closeSent = true;
			this.status = status;
			boolean closeNow;
			try {
				closeNow = this.output.queueCloseFrameLocked(frame, closeWhenWritten) && closeWhenWritten;
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
			return closeNow;
		}
	}

	private void closeTimedOut() {
		if (!this.gone) {
			logger.debug("Connection " + this.id + " did not finish its close handshake in time; closing it");
			closeConnection();
		}
	}

	/**
	 * The connection failed or ended: a reset or failed read or write is an error for the
	 * handler; the end of the stream is only a close without a close frame.
	 */
	void lost(@Nullable Throwable failure) {
		if (failure != null && !this.gone && logger.isDebugEnabled()) {
			logger.debug("Connection " + this.id + " failed: " + failure);
		}
		ConnectionHandler handler = this.handler;
		if (failure instanceof IOException && !(failure instanceof EOFException) && isOpen() && handler != null) {
			handler.onError(failure);
		}
		abort();
	}

	/**
	 * Close the streams and the socket; the container then releases the connection.
	 */
	void closeConnection() {
		synchronized (this.lock) {
			if (this.gone) {
				return;
			}
			this.gone = true;
			this.output.discardLocked();
			cancelCloseTimeout();
		}
		WebConnection connection = this.connection;
		try {
			if (connection != null) {
				connection.close();
			}
		}
		catch (Exception ex) {
			// Closed anyway: the socket close below still applies
		}
		this.output.closeSocket();
		finish();
	}

	private void cancelCloseTimeout() {
		ScheduledFuture<?> timeout = this.closeTimeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	@Override
	public void destroy() {
		// The container released the connection, whoever closed it
		synchronized (this.lock) {
			this.gone = true;
			cancelCloseTimeout();
		}
		finish();
	}

	/**
	 * Tell the handler once that the connection is closed.
	 */
	private void finish() {
		CloseStatus status;
		ConnectionHandler handler = this.handler;
		synchronized (this.lock) {
			if (this.finished || handler == null) {
				return;
			}
			this.finished = true;
			status = (this.status != null) ? this.status : CloseStatus.NO_CLOSE_FRAME;
		}
		handler.onClosed(status);
	}

	@Override
	public boolean isOpen() {
		return !this.closeSent && !this.closeReceived && !this.gone;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public String toString() {
		return "UpgradedConnection[id=" + this.id + ", remoteAddress=" + this.remoteAddress + "]";
	}

	/**
	 * Times close handshakes out; one daemon thread for all connections, made on first
	 * use.
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
