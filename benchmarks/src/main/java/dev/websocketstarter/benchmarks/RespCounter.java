package dev.websocketstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what crosses one Redis connection, in one direction, by parsing the RESP2 and
 * RESP3 values it carries: the commands a client sends, by name, and the pub/sub messages
 * Redis pushes ({@code message}, {@code smessage} and {@code pmessage}), by channel.
 * Counters are shared by all the connections of one {@link RedisTap}; the parsing state
 * is one stream's.
 */
final class RespCounter {

	private static final byte[] MESSAGE = bytes("message");

	private static final byte[] SMESSAGE = bytes("smessage");

	private static final byte[] PMESSAGE = bytes("pmessage");

	private final Map<String, LongAdder> commands;

	private final Map<String, LongAdder> pushes;

	private byte[] pending = new byte[8192];

	private int length;

	RespCounter(Map<String, LongAdder> commands, Map<String, LongAdder> pushes) {
		this.commands = commands;
		this.pushes = pushes;
	}

	/**
	 * Counters for a tap: commands and pushes by name, both empty.
	 */
	static Map<String, LongAdder> counters() {
		return new ConcurrentHashMap<>();
	}

	/**
	 * A copy of counters, sorted by name.
	 */
	static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
		Map<String, Long> snapshot = new TreeMap<>();
		counters.forEach((name, count) -> snapshot.put(name, count.sum()));
		return snapshot;
	}

	/**
	 * Bytes that went through, in order; values split across calls are counted once
	 * complete.
	 */
	void feed(byte[] bytes, int count) {
		if (this.length + count > this.pending.length) {
			this.pending = Arrays.copyOf(this.pending, Math.max(this.pending.length * 2, this.length + count));
		}
		System.arraycopy(bytes, 0, this.pending, this.length, count);
		this.length += count;
		int position = 0;
		int end;
		while ((end = end(this.pending, position, this.length)) >= 0) {
			count(this.pending, position);
			position = end;
		}
		System.arraycopy(this.pending, position, this.pending, 0, this.length - position);
		this.length -= position;
	}

	/**
	 * Count one complete top-level value: an array whose first element names a command,
	 * or a push (or, in RESP2, an array) of a pub/sub message.
	 */
	private void count(byte[] buffer, int start) {
		byte type = buffer[start];
		if (type != '*' && type != '>') {
			return;
		}
		int headerEnd = lineEnd(buffer, start, this.length);
		if (parseLong(buffer, start + 1, headerEnd) < 1) {
			return;
		}
		int first = headerEnd + 2;
		if (buffer[first] != '$') {
			return;
		}
		int firstEnd = end(buffer, first, this.length);
		int textStart = lineEnd(buffer, first, this.length) + 2;
		int textLength = firstEnd - 2 - textStart;
		if (is(buffer, textStart, textLength, MESSAGE) || is(buffer, textStart, textLength, SMESSAGE)) {
			increment(this.pushes, bulk(buffer, firstEnd));
		}
		else if (is(buffer, textStart, textLength, PMESSAGE)) {
			// pmessage pattern channel payload: name it by its channel
			increment(this.pushes, bulk(buffer, end(buffer, firstEnd, this.length)));
		}
		else if (type == '*') {
			increment(this.commands,
					new String(buffer, textStart, textLength, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
		}
	}

	private static void increment(Map<String, LongAdder> counters, String name) {
		counters.computeIfAbsent(name, (key) -> new LongAdder()).increment();
	}

	/**
	 * The text of the bulk string at {@code start}, or "?" if it is none.
	 */
	private String bulk(byte[] buffer, int start) {
		if (buffer[start] != '$') {
			return "?";
		}
		int textStart = lineEnd(buffer, start, this.length) + 2;
		int textEnd = end(buffer, start, this.length) - 2;
		return new String(buffer, textStart, textEnd - textStart, StandardCharsets.UTF_8);
	}

	/**
	 * Where the value starting at {@code start} ends (exclusive), or -1 if it is not
	 * complete before {@code limit}.
	 */
	static int end(byte[] buffer, int start, int limit) {
		if (start >= limit) {
			return -1;
		}
		int lineEnd = lineEnd(buffer, start, limit);
		if (lineEnd < 0) {
			return -1;
		}
		int next = lineEnd + 2;
		switch (buffer[start]) {
			case '$', '=', '!' -> {
				long size = parseLong(buffer, start + 1, lineEnd);
				if (size < 0) {
					return next;
				}
				long end = next + size + 2;
				return (end <= limit) ? (int) end : -1;
			}
			case '*', '~', '>', '%', '|' -> {
				long elements = parseLong(buffer, start + 1, lineEnd);
				if (elements < 0) {
					return next;
				}
				if (buffer[start] == '%' || buffer[start] == '|') {
					elements *= 2;
				}
				int position = next;
				for (long i = 0; i < elements && position >= 0; i++) {
					position = end(buffer, position, limit);
				}
				// An attribute comes before the value it describes
				return (position >= 0 && buffer[start] == '|') ? end(buffer, position, limit) : position;
			}
			// Simple strings, errors, numbers, null, booleans, doubles, big numbers, and
			// inline commands: one line
			default -> {
				return next;
			}
		}
	}

	/**
	 * The index of the CR of the first CRLF at or after {@code start}, or -1.
	 */
	private static int lineEnd(byte[] buffer, int start, int limit) {
		for (int i = start; i < limit - 1; i++) {
			if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private static long parseLong(byte[] buffer, int start, int end) {
		boolean negative = start < end && buffer[start] == '-';
		long value = 0;
		for (int i = negative ? start + 1 : start; i < end; i++) {
			value = value * 10 + (buffer[i] - '0');
		}
		return negative ? -value : value;
	}

	private static boolean is(byte[] buffer, int start, int length, byte[] expected) {
		return length == expected.length && Arrays.equals(buffer, start, start + length, expected, 0, length);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
