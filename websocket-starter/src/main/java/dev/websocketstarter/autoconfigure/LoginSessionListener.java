package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.internal.channel.LocalNode;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Tells the node when an HTTP session ends (logout, expiry, invalidation), so that the
 * channels it opened close, and when it changes its id, so that they stay bound to it.
 */
class LoginSessionListener implements HttpSessionListener, HttpSessionIdListener {

	private final LocalNode node;

	LoginSessionListener(LocalNode node) {
		this.node = node;
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		this.node.loginSessions().ended(event.getSession().getId());
	}

	@Override
	public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
		this.node.loginSessions().idChanged(oldSessionId, event.getSession().getId());
	}

}
