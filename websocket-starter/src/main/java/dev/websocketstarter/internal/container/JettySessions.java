package dev.websocketstarter.internal.container;

import org.eclipse.jetty.websocket.api.Session;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Jetty's hard close. Spring's {@code close(SESSION_NOT_RELIABLE)} on a Jetty session
 * still sends a close frame and waits for it to be written and answered, which a stuck
 * peer never lets happen. Touched only when {@link #PRESENT}.
 */
final class JettySessions {

	static final boolean PRESENT = ClassUtils.isPresent("org.eclipse.jetty.websocket.api.Session",
			JettySessions.class.getClassLoader());

	private JettySessions() {
	}

	/**
	 * Drop the connection of a Jetty session at once.
	 * @param session the session
	 * @return whether it was a Jetty session
	 */
	static boolean disconnect(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession) {
			Session jetty = nativeSession.getNativeSession(Session.class);
			if (jetty != null) {
				jetty.disconnect();
				return true;
			}
		}
		return false;
	}

}
