package dev.websocketstarter.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * One WebSocket connection, as a channel drives it: what a transport implements. One
 * writer at a time calls {@link #write} and {@link #close}; {@link #abort} may come from
 * any thread.
 */
public interface Connection {

	/**
	 * Hand frames over, in order, for as long as the connection takes them. A transport
	 * that never blocks returns {@code false} when its output is full and calls
	 * {@link ConnectionHandler#onWritable()} once it can take more; a blocking one writes
	 * every frame, waiting for the peer.
	 * @param frames where the frames come from
	 * @return {@code true} if the source ran dry and every frame was handed over, or the
	 * connection takes no more data as it is closing
	 * @throws IOException if the connection failed
	 */
	boolean write(FrameSource frames) throws IOException;

	/**
	 * Whether {@link #write} and {@link #close} may block on the peer, so that the
	 * channel bounds them with {@code send-time-limit}; a transport that never blocks
	 * bounds its close handshake itself.
	 * @return {@code true} for a blocking transport
	 */
	boolean blocks();

	/**
	 * Send a close frame after the frames handed over so far, and end the connection once
	 * the peer answers it.
	 * @param status the close code and reason
	 * @throws IOException if the connection failed
	 */
	void close(CloseStatus status) throws IOException;

	/**
	 * End the connection at once, without a close frame: it is broken, or its peer is
	 * gone.
	 */
	void abort();

	/**
	 * Whether the connection is neither closed nor closing.
	 * @return {@code true} while it is open
	 */
	boolean isOpen();

	/**
	 * The address of the peer.
	 * @return the address, if known
	 */
	@Nullable InetSocketAddress remoteAddress();

}
