package dev.websocketstarter.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.codec.FrameDecoder;
import dev.websocketstarter.codec.FrameListener;
import dev.websocketstarter.codec.WebSocketProtocolException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * The input of an {@link UpgradedConnection}: reads on the container's threads, which
 * never call {@link #onDataAvailable()} for one connection twice at a time, and decodes
 * the bytes into whole messages for the connection's handler, answering pings. The
 * decoder joins fragments and bounds a message by {@code max-message-size}.
 */
final class UpgradedInput implements ReadListener, FrameListener {

	/** Per container thread, so an idle connection holds no read buffer. */
	private static final ThreadLocal<byte[]> readBuffers = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

	private final UpgradedConnection connection;

	private final ServletInputStream in;

	private final FrameDecoder decoder;

	/**
	 * The peer broke the protocol: what it sent is read and dropped until none is left,
	 * as closing the socket with bytes unread would reset the connection and could lose
	 * our close frame; then the connection is closed.
	 */
	private boolean protocolError;

	UpgradedInput(UpgradedConnection connection, ServletInputStream in, FrameDecoder decoder) {
		this.connection = connection;
		this.in = in;
		this.decoder = decoder;
	}

	@Override
	public void onDataAvailable() {
		UpgradedConnection connection = this.connection;
		byte[] buffer = readBuffers.get();
		try {
			// Returning while isReady() is true would leave no read interest registered:
			// only the end of the connection ends the loop early
			while (!connection.closeReceived && !connection.gone && this.in.isReady()) {
				int read = this.in.read(buffer);
				if (read < 0) {
					connection.lost(null);
					return;
				}
				if (!this.protocolError) {
					try {
						this.decoder.decode(ByteBuffer.wrap(buffer, 0, read), this);
					}
					catch (WebSocketProtocolException ex) {
						this.protocolError = true;
						connection.protocolError(ex);
					}
				}
			}
			if (this.protocolError) {
				connection.closeOnceCloseFrameWritten();
			}
		}
		catch (IOException | RuntimeException ex) {
			connection.lost(ex);
		}
	}

	@Override
	public void onAllDataRead() {
		this.connection.lost(null);
	}

	@Override
	public void onError(Throwable failure) {
		// A reset or the end of the stream (Tomcat reports the latter as an EOFException)
		this.connection.lost(failure);
	}

	@Override
	public void onText(String text) {
		onText(text, text.getBytes(StandardCharsets.UTF_8).length);
	}

	@Override
	public void onText(String text, int size) {
		// Section 1.4: data after our close frame is read and dropped
		if (!this.connection.closeSent) {
			this.connection.handler().onText(text, size);
		}
	}

	@Override
	public void onBinary(byte[] data) {
		if (!this.connection.closeSent) {
			this.connection.handler().onBinary(data);
		}
	}

	@Override
	public void onMessageStarted() {
		if (!this.connection.closeSent) {
			this.connection.handler().onMessageStarted();
		}
	}

	@Override
	public void onPing(byte[] payload) {
		this.connection.pong(payload);
	}

	@Override
	public void onPong(byte[] payload) {
		if (!this.connection.closeSent) {
			this.connection.handler().onPong();
		}
	}

	@Override
	public void onClose(int code, String reason) {
		this.connection.closeReceived(code, reason);
	}

}
