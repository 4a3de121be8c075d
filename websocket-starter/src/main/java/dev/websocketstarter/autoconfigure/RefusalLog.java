package dev.websocketstarter.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.websocketstarter.internal.channel.LocalNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;

/**
 * Says at INFO why a handshake was refused, at most {@value #LINES_PER_INTERVAL} times a
 * minute for each client address, then once with how many more were refused meanwhile: a
 * client refused in a loop costs a few lines a minute, not a line a try. What the client
 * sent is cut to a bounded length and stripped of control characters, so that no one can
 * forge log lines or fill the disk. One for all the apps of a node.
 */
final class RefusalLog {

	static final Duration INTERVAL = Duration.ofMinutes(1);

	static final int LINES_PER_INTERVAL = 10;

	/** The most code points of one value the client sent, such as an Origin. */
	static final int MAX_VALUE_LENGTH = 200;

	/** Addresses remembered at once: past it, the log starts afresh. */
	private static final int MAX_ADDRESSES = 10_000;

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final LongSupplier nanoTime;

	RefusalLog(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	/**
	 * Log a refused handshake, unless its address was logged within the interval.
	 * @param request the handshake
	 * @param status the HTTP status it was refused with
	 * @param why the reason, with any value from the client passed through {@link #value}
	 * @param failure what failed, logged at WARN with its stack trace, or {@code null}
	 */
	void refused(ServerHttpRequest request, int status, String why, @Nullable Throwable failure) {
		String address = address(request.getRemoteAddress());
		long suppressed = admit(address);
		if (suppressed < 0) {
			return;
		}
		String line = "Refused handshake to " + value(request.getURI().getPath()) + " from " + address + " with "
				+ status + ": " + why + ((suppressed > 0)
						? " (and " + suppressed + " more refusals from this address in the last minute)" : "");
		if (failure != null) {
			logger.warn(line, failure);
		}
		else {
			logger.info(line);
		}
	}

	/**
	 * Count a refusal from an address.
	 * @return the refusals left out in the address's last interval, or -1 to leave this
	 * one out too
	 */
	long admit(String address) {
		long now = this.nanoTime.getAsLong();
		if (this.windows.size() >= MAX_ADDRESSES && !this.windows.containsKey(address)) {
			this.windows.clear();
		}
		long[] suppressed = { -1 };
		this.windows.compute(address, (key, window) -> {
			if (window == null || now - window.startedAt >= INTERVAL.toNanos()) {
				suppressed[0] = (window != null) ? window.suppressed : 0;
				return new Window(now);
			}
			if (window.logged < LINES_PER_INTERVAL) {
				window.logged++;
				suppressed[0] = 0;
			}
			else {
				window.suppressed++;
			}
			return window;
		});
		return suppressed[0];
	}

	/**
	 * A value from the client, fit for a log line: control characters as {@code ?}, cut
	 * to {@value #MAX_VALUE_LENGTH} code points.
	 * @param value the value, or {@code null}
	 * @return the loggable text
	 */
	static String value(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder text = new StringBuilder(Math.min(value.length(), MAX_VALUE_LENGTH + 1));
		value.codePoints()
			.limit(MAX_VALUE_LENGTH)
			.forEach((codePoint) -> text.appendCodePoint(Character.isISOControl(codePoint) ? '?' : codePoint));
		if (value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH) {
			text.append('…');
		}
		return text.toString();
	}

	private static String address(@Nullable InetSocketAddress remote) {
		if (remote == null) {
			return "an unknown address";
		}
		return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

	private static final class Window {

		private final long startedAt;

		private int logged = 1;

		private long suppressed;

		Window(long startedAt) {
			this.startedAt = startedAt;
		}

	}

}
