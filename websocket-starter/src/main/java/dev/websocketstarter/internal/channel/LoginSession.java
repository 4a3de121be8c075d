package dev.websocketstarter.internal.channel;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The authenticated HTTP session a handshake came with, which the channel it opens is
 * bound to: it closes when the session ends.
 *
 * @param id the session's id at the handshake
 * @param current the session's id now, {@code null} once it ended
 */
public record LoginSession(String id, Supplier<@Nullable String> current) {

	@Nullable String currentId() {
		return this.current.get();
	}

}
