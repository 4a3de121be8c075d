package dev.websocketstarter.internal.container;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.FrameSource;
import dev.websocketstarter.internal.transport.OutboundFrame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A connection served by the container's WebSocket layer, through Spring's session of it.
 * Writes block on the peer. On a JSR-356 session (Tomcat's) the frames of a batch go out
 * in batching mode, so the container coalesces them into few socket writes, through
 * Tomcat's frame writer where it can be reached, so a multicast is encoded once.
 */
final class ContainerConnection implements Connection {

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

	private static final long MAX_ABNORMAL_CLOSE_SEND_MILLIS = 1000;

	private static final byte TEXT = 0x1;

	private static final byte BINARY = 0x2;

	private final WebSocketSession session;

	/** The container's session when it is a JSR-356 one, whose batching mode is used. */
	private final @Nullable Session nativeSession;

	private final RemoteEndpoint.@Nullable Basic remote;

	/** Tomcat's frame writer behind {@link #remote}, when it can be reached. */
	private final @Nullable TomcatFrameWriter frames;

	ContainerConnection(WebSocketSession session, Duration sendTimeLimit) {
		this.session = session;
		this.nativeSession = nativeSession(session);
		this.remote = (this.nativeSession != null) ? this.nativeSession.getBasicRemote() : null;
		this.frames = (this.remote != null) ? TomcatFrameWriter.of(this.remote, sendTimeLimit.toMillis()) : null;
		if (this.nativeSession != null) {
			Map<String, Object> properties = this.nativeSession.getUserProperties();
			// Bounds a blocked flush to a stuck peer on Tomcat; other containers ignore
			// the properties
			properties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, sendTimeLimit.toMillis());
			// Tomcat gives the close frame of a failed connection 50 ms, less than a
			// write of ours it may wait behind on a busy machine: the frame would be
			// lost. The bound keeps a peer that stopped reading from holding a container
			// thread.
			properties.put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT,
					Math.min(sendTimeLimit.toMillis(), MAX_ABNORMAL_CLOSE_SEND_MILLIS));
		}
	}

	private static @Nullable Session nativeSession(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof Session jsr356) {
			return jsr356;
		}
		return null;
	}

	@Override
	public boolean write(FrameSource source) throws IOException {
		RemoteEndpoint.Basic remote = this.remote;
		OutboundFrame frame = source.next();
		OutboundFrame next = (frame != null) ? source.next() : null;
		// Batching only when frames wait: a close frame the container sends on its own
		// while batching is on lands in the batch buffer behind ours, and is lost when
		// the container then closes the socket. A lone frame is written directly.
		RemoteEndpoint.Basic batching = (next != null) ? remote : null;
		if (batching != null) {
			batching.setBatchingAllowed(true);
		}
		while (frame != null) {
			write(frame, remote);
			frame = next;
			next = (frame != null) ? source.next() : null;
		}
		if (batching != null) {
			// Turning batching off flushes what the container buffered: one socket write
			// for the batch
			batching.setBatchingAllowed(false);
		}
		return true;
	}

	private void write(OutboundFrame frame, RemoteEndpoint.@Nullable Basic remote) throws IOException {
		TomcatFrameWriter frames = this.frames;
		if (frames != null) {
			frames.write(frame.opcode(), frame.payload());
		}
		else if (remote != null) {
			switch (frame.opcode()) {
				case TEXT -> remote.sendText(StandardCharsets.UTF_8.decode(frame.payload()).toString());
				case BINARY -> remote.sendBinary(frame.payload());
				default -> remote.sendPing(frame.payload());
			}
		}
		else {
			this.session.sendMessage(message(frame));
		}
	}

	private static WebSocketMessage<?> message(OutboundFrame frame) {
		ByteBuffer payload = frame.payload();
		return switch (frame.opcode()) {
			case TEXT -> new TextMessage(StandardCharsets.UTF_8.decode(payload).toString());
			case BINARY -> new BinaryMessage(payload);
			default -> new PingMessage(payload);
		};
	}

	@Override
	public boolean blocks() {
		return true;
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		this.session.close(status);
	}

	@Override
	public void abort() {
		if (JettySessions.PRESENT && JettySessions.disconnect(this.session)) {
			return;
		}
		Session nativeSession = this.nativeSession;
		RemoteEndpoint.Basic remote = this.remote;
		try {
			if (nativeSession != null && remote != null) {
				// Give up on the peer at once: no flush or close frame waits for it any
				// longer
				nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, 0L);
				remote.setBatchingAllowed(false);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Closed already, or the flush of what was batched failed: expected on a
			// broken connection
		}
		try {
			this.session.close(CloseStatus.SESSION_NOT_RELIABLE);
		}
		catch (IOException | RuntimeException ex) {
			// Already closed or unusable: the container cleans up
		}
	}

	@Override
	public boolean isOpen() {
		return this.session.isOpen();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.session.getRemoteAddress();
	}

	@Override
	public String toString() {
		return "ContainerConnection[" + this.session.getId() + "]";
	}

}
