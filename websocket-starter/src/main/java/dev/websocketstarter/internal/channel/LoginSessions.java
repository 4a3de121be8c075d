package dev.websocketstarter.internal.channel;

import java.util.Set;

import org.springframework.web.socket.CloseStatus;

/**
 * The channels bound to each login session: when a session ends (logout, expiry,
 * invalidation) its channels close with 1008, "session ended"; when it changes its id, as
 * Spring Security does at login against session fixation, they stay bound to it.
 */
public final class LoginSessions {

	private static final CloseStatus SESSION_ENDED = CloseStatus.POLICY_VIOLATION.withReason("session ended");

	private final SubscriptionIndex<LocalChannel> channels = new SubscriptionIndex<>();

	private final LocalNode node;

	LoginSessions(LocalNode node) {
		this.node = node;
	}

	/**
	 * Bind a channel to the login session that opened it, closing it at once if that
	 * session ended meanwhile.
	 */
	void bind(LocalChannel channel, LoginSession session) {
		channel.session = session.id();
		this.channels.add(session.id(), channel);
		if (!channel.isOpen()) {
			// Closed meanwhile, after it was forgotten
			remove(channel);
			return;
		}
		String current = session.currentId();
		if (current == null) {
			ended(session.id());
		}
		else if (!current.equals(session.id())) {
			idChanged(session.id(), current);
		}
	}

	/**
	 * A login session ended: close its channels once their queues are written.
	 * @param session the session id
	 */
	public void ended(String session) {
		Set<LocalChannel> bound = this.channels.removeAll(session);
		if (bound != null) {
			for (LocalChannel channel : bound) {
				if (this.node.closeGracefully(channel, SESSION_ENDED)) {
					LocalNode.logger.debug("Closing channel " + channel + " with 1008: its login session ended");
				}
			}
		}
	}

	/**
	 * A login session changed its id.
	 * @param before the old id
	 * @param after the new id
	 */
	public void idChanged(String before, String after) {
		Set<LocalChannel> bound = this.channels.removeAll(before);
		if (bound != null) {
			for (LocalChannel channel : bound) {
				channel.session = after;
				this.channels.add(after, channel);
			}
		}
	}

	/**
	 * Forget a channel that closed.
	 */
	void remove(LocalChannel channel) {
		String session = channel.session;
		if (session != null) {
			this.channels.remove(session, channel);
		}
	}

}
