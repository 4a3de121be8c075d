package dev.websocketstarter.internal.server;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import jakarta.servlet.ServletOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Closes the socket under an upgraded connection from any thread.
 * <p>
 * Closing a {@code WebConnection} only closes its streams; Tomcat closes the socket at
 * the connection's next event, and an upgraded connection has no timeout. A peer that
 * neither answers a close frame nor goes would hold the socket for good. Tomcat's own
 * WebSocket layer closes its socket wrapper directly; this does the same, reaching the
 * wrapper through the output stream once per stream class. Where it cannot, closing the
 * streams is all there is.
 */
final class ContainerSockets {

	private static final ClassValue<@Nullable Closer> CLOSERS = new ClassValue<>() {

		@Override
		protected @Nullable Closer computeValue(Class<?> type) {
			try {
				Field field = type.getDeclaredField("socketWrapper");
				field.setAccessible(true);
				Method close = field.getType().getMethod("close");
				return new Closer(field, close);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Not Tomcat, or a Tomcat that changed: streams only
				return null;
			}
		}

	};

	private ContainerSockets() {
	}

	/**
	 * Close the socket under the given stream now, if the container lets us.
	 * @return whether the socket was closed
	 */
	static boolean close(ServletOutputStream out) {
		Closer closer = CLOSERS.get(out.getClass());
		if (closer == null) {
			return false;
		}
		try {
			Object socket = closer.field().get(out);
			if (socket != null) {
				closer.close().invoke(socket);
				return true;
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Closed already or unreachable: the streams are closed anyway
		}
		return false;
	}

	private record Closer(Field field, Method close) {
	}

}
