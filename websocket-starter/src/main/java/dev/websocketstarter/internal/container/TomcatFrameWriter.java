package dev.websocketstarter.internal.container;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes a frame whose payload is encoded already through Tomcat's blocking frame writer,
 * the one its {@code sendText} and {@code sendPing} end in.
 * <p>
 * Tomcat's public {@code sendText} encodes the string to UTF-8 on every call, through a
 * slow path for strings, so a multicast would be encoded once per subscriber; its
 * encoding buffer also splits a text longer than that buffer into several frames. With
 * the frame writer a multicast is encoded once and sent as one frame, with a send timeout
 * given per call rather than looked up in the session's properties. The writer is not
 * public API: it is reached by reflection, which works where Tomcat is on the class path,
 * as in a Spring Boot application. Where it cannot be reached, channels use the public
 * API.
 */
final class TomcatFrameWriter {

	private static final Log logger = LogFactory.getLog(TomcatFrameWriter.class);

	private static final String PACKAGE = "org.apache.tomcat.websocket.";

	private static final @Nullable Class<?> REMOTE_ENDPOINT;

	private static final @Nullable MethodHandle IMPLEMENTATION;

	private static final @Nullable MethodHandle SEND;

	static {
		Class<?> remoteEndpoint = null;
		MethodHandle implementation = null;
		MethodHandle send = null;
		try {
			ClassLoader classLoader = TomcatFrameWriter.class.getClassLoader();
			Class<?> candidate = Class.forName(PACKAGE + "WsRemoteEndpointBase", false, classLoader);
			Class<?> base = Class.forName(PACKAGE + "WsRemoteEndpointImplBase", false, classLoader);
			Field field = candidate.getDeclaredField("base");
			field.setAccessible(true);
			Method method = base.getDeclaredMethod("sendMessageBlock", byte.class, ByteBuffer.class, boolean.class,
					long.class);
			method.setAccessible(true);
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			implementation = lookup.unreflectGetter(field).asType(MethodType.methodType(Object.class, Object.class));
			send = lookup.unreflect(method)
				.asType(MethodType.methodType(void.class, Object.class, byte.class, ByteBuffer.class, boolean.class,
						long.class));
			remoteEndpoint = candidate;
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			// Not Tomcat, another version of it, or its package is not open to us
			logger.debug("Tomcat's frame writer is out of reach; channels send through the public API", ex);
			implementation = null;
			send = null;
		}
		REMOTE_ENDPOINT = remoteEndpoint;
		IMPLEMENTATION = implementation;
		SEND = send;
	}

	private final MethodHandle send;

	private final Object endpoint;

	private final long timeoutMillis;

	private TomcatFrameWriter(MethodHandle send, Object endpoint, long timeoutMillis) {
		this.send = send;
		this.endpoint = endpoint;
		this.timeoutMillis = timeoutMillis;
	}

	/**
	 * The frame writer behind a session's basic remote endpoint.
	 * @param remote the session's basic remote endpoint
	 * @param timeoutMillis how long a write may block
	 * @return the writer, or {@code null} when the endpoint is not Tomcat's or its writer
	 * is out of reach
	 */
	static @Nullable TomcatFrameWriter of(RemoteEndpoint.Basic remote, long timeoutMillis) {
		Class<?> remoteEndpoint = REMOTE_ENDPOINT;
		MethodHandle implementation = IMPLEMENTATION;
		MethodHandle send = SEND;
		if (remoteEndpoint == null || implementation == null || send == null || !remoteEndpoint.isInstance(remote)) {
			return null;
		}
		try {
			Object endpoint = (Object) implementation.invokeExact((Object) remote);
			return (endpoint != null) ? new TomcatFrameWriter(send, endpoint, timeoutMillis) : null;
		}
		catch (Throwable ex) {
			logger.debug("Tomcat's frame writer is out of reach; the channel sends through the public API", ex);
			return null;
		}
	}

	/**
	 * Write one whole frame, or add it to the batch when the session is batching.
	 * @param opcode the frame's opcode
	 * @param payload the payload, which Tomcat clears once written
	 * @throws IOException when the write fails or times out
	 */
	void write(byte opcode, ByteBuffer payload) throws IOException {
		try {
			this.send.invokeExact(this.endpoint, opcode, payload, true, this.timeoutMillis);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

}
