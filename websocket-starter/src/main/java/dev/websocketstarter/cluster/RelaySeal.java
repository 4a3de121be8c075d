package dev.websocketstarter.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Seals what a node publishes through Redis with a secret every node shares, and opens
 * what it receives, so that someone who can reach Redis cannot inject messages, forge
 * subscriptions or closes, or replay what a node sent.
 * <p>
 * A sealed publication is a marker byte, the key's id (the first 4 bytes of the SHA-256
 * of the secret), the sender's run (8 random bytes per start), a sequence number and the
 * time in milliseconds, then the body, then an HMAC-SHA256 over the topic and all before
 * it. A receiver takes each run's sequence numbers once, within a window of the last
 * {@value #WINDOW}, and nothing older than {@link #MAX_AGE_MILLIS} or as much ahead.
 * Several secrets may open, for rotation; the first seals.
 * <p>
 * Without a secret, publications go as they are and every one is taken.
 */
final class RelaySeal {

	static final int WINDOW = 4096;

	static final long MAX_AGE_MILLIS = 120_000;

	private static final byte MARKER = (byte) 0xA5;

	private static final int PREFIX = 1 + 4 + 8 + 8 + 8;

	private static final int TAG = 32;

	/**
	 * Runs not heard from for this long are forgotten: their messages are stale by then.
	 */
	private static final long RUN_MEMORY_MILLIS = 2 * MAX_AGE_MILLIS;

	private final List<Key> keys;

	private final long run = new SecureRandom().nextLong();

	private final AtomicLong sequence = new AtomicLong();

	private final LongSupplier clock;

	private final Map<Long, ReplayWindow> runs = new LinkedHashMap<>();

	/** Counts by {@link Rejection#ordinal()}. */
	private final AtomicLongArray rejected = new AtomicLongArray(Rejection.values().length);

	/**
	 * Seal with the first secret, and open with any.
	 * @param secrets the secrets, the one that seals first; none to seal nothing
	 * @param clock the time in milliseconds
	 */
	RelaySeal(List<String> secrets, LongSupplier clock) {
		this.keys = secrets.stream().map(Key::new).toList();
		this.clock = clock;
	}

	boolean isOn() {
		return !this.keys.isEmpty();
	}

	/**
	 * How many bytes the seal puts before a body.
	 */
	int prefixLength() {
		return isOn() ? PREFIX : 0;
	}

	/**
	 * The bytes before a body, and the tag after it, for a publication to a topic.
	 */
	Sealed seal(byte[] topic, byte[]... body) {
		if (!isOn()) {
			return new Sealed(new byte[0], new byte[0]);
		}
		Key key = this.keys.get(0);
		ByteBuffer prefix = ByteBuffer.allocate(PREFIX)
			.put(MARKER)
			.put(key.id)
			.putLong(this.run)
			.putLong(this.sequence.incrementAndGet())
			.putLong(this.clock.getAsLong());
		Mac mac = key.mac();
		mac.update(topic);
		mac.update(prefix.array());
		for (byte[] part : body) {
			mac.update(part);
		}
		return new Sealed(prefix.array(), mac.doFinal());
	}

	/**
	 * A sealed publication.
	 */
	byte[] sealAll(byte[] topic, byte[] body) {
		Sealed sealed = seal(topic, body);
		if (!isOn()) {
			return body;
		}
		return ByteBuffer.allocate(PREFIX + body.length + TAG).put(sealed.prefix()).put(body).put(sealed.tag()).array();
	}

	/**
	 * The body of a publication received on a topic, if it opens: the right key, an
	 * intact tag, not seen before and not stale.
	 * @return the body, or {@code null} if it is to be dropped
	 */
	byte @Nullable [] open(byte[] topic, byte[] sealed) {
		if (!isOn()) {
			return sealed;
		}
		if (sealed.length < PREFIX + TAG || sealed[0] != MARKER) {
			return reject(Rejection.UNSEALED);
		}
		Key key = key(sealed);
		if (key == null) {
			return reject(Rejection.UNKNOWN_KEY);
		}
		Mac mac = key.mac();
		mac.update(topic);
		mac.update(sealed, 0, sealed.length - TAG);
		if (!MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(sealed, sealed.length - TAG, sealed.length))) {
			return reject(Rejection.TAG);
		}
		ByteBuffer prefix = ByteBuffer.wrap(sealed, 5, PREFIX - 5);
		long run = prefix.getLong();
		long sequence = prefix.getLong();
		long sentAt = prefix.getLong();
		long now = this.clock.getAsLong();
		if (Math.abs(now - sentAt) > MAX_AGE_MILLIS) {
			return reject(Rejection.STALE);
		}
		if (!firstTime(run, sequence, now)) {
			return reject(Rejection.REPLAYED);
		}
		return Arrays.copyOfRange(sealed, PREFIX, sealed.length - TAG);
	}

	/**
	 * How many publications were dropped, by why, since the last call.
	 */
	Map<Rejection, Long> takeRejections() {
		Map<Rejection, Long> taken = new EnumMap<>(Rejection.class);
		for (Rejection rejection : Rejection.values()) {
			long count = this.rejected.getAndSet(rejection.ordinal(), 0);
			if (count > 0) {
				taken.put(rejection, count);
			}
		}
		return taken;
	}

	private synchronized boolean firstTime(long run, long sequence, long now) {
		this.runs.values().removeIf((window) -> now - window.heardAt > RUN_MEMORY_MILLIS);
		ReplayWindow window = this.runs.computeIfAbsent(run, (added) -> new ReplayWindow());
		window.heardAt = now;
		return window.take(sequence);
	}

	private @Nullable Key key(byte[] sealed) {
		for (Key key : this.keys) {
			if (Arrays.equals(key.id, 0, 4, sealed, 1, 5)) {
				return key;
			}
		}
		return null;
	}

	private byte @Nullable [] reject(Rejection rejection) {
		this.rejected.incrementAndGet(rejection.ordinal());
		return null;
	}

	/**
	 * Why a publication was dropped.
	 */
	enum Rejection {

		/**
		 * It came without a seal, from a node without the secret or from someone else.
		 */
		UNSEALED,

		/** Its key is none of this node's secrets. */
		UNKNOWN_KEY,

		/** Its tag is wrong: forged or changed on the way. */
		TAG,

		/** Sent more than two minutes from this node's time. */
		STALE,

		/** Taken once already. */
		REPLAYED

	}

	/**
	 * The bytes that go before a body and after it.
	 */
	record Sealed(byte[] prefix, byte[] tag) {
	}

	/**
	 * A secret, with its id and a MAC for each thread.
	 */
	private static final class Key {

		private final byte[] id;

		private final ThreadLocal<Mac> macs;

		Key(String secret) {
			byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
			try {
				this.id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 4);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Every Java platform has SHA-256", ex);
			}
			SecretKeySpec spec = new SecretKeySpec(bytes, "HmacSHA256");
			this.macs = ThreadLocal.withInitial(() -> {
				try {
					Mac mac = Mac.getInstance("HmacSHA256");
					mac.init(spec);
					return mac;
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException("Every Java platform has HmacSHA256", ex);
				}
			});
		}

		Mac mac() {
			return this.macs.get();
		}

	}

	/**
	 * The sequence numbers of one run taken so far: every one up to the highest minus the
	 * window counts as taken.
	 */
	private static final class ReplayWindow {

		private final long[] bits = new long[WINDOW / 64];

		private long highest;

		private long heardAt;

		boolean take(long sequence) {
			if (sequence > this.highest) {
				long shift = sequence - this.highest;
				if (shift >= WINDOW) {
					Arrays.fill(this.bits, 0);
				}
				else {
					for (long cleared = this.highest + 1; cleared < sequence; cleared++) {
						clear(cleared);
					}
				}
				this.highest = sequence;
				set(sequence);
				return true;
			}
			if (this.highest - sequence >= WINDOW || isSet(sequence)) {
				return false;
			}
			set(sequence);
			return true;
		}

		private boolean isSet(long sequence) {
			int bit = (int) Math.floorMod(sequence, (long) WINDOW);
			return (this.bits[bit >>> 6] & (1L << (bit & 63))) != 0;
		}

		private void set(long sequence) {
			int bit = (int) Math.floorMod(sequence, (long) WINDOW);
			this.bits[bit >>> 6] |= 1L << (bit & 63);
		}

		private void clear(long sequence) {
			int bit = (int) Math.floorMod(sequence, (long) WINDOW);
			this.bits[bit >>> 6] &= ~(1L << (bit & 63));
		}

	}

}
