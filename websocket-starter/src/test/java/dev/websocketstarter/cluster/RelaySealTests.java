package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.websocketstarter.cluster.RelaySeal.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelaySeal}.
 */
class RelaySealTests {

	private static final String SECRET = "a shared secret of thirty-two characters or more";

	private static final String OTHER = "another secret, of thirty-two characters or more";

	private static final byte[] TOPIC = "websocket:multicast".getBytes(StandardCharsets.US_ASCII);

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final RelaySeal sender = new RelaySeal(List.of(SECRET), this.now::get);

	private final RelaySeal receiver = new RelaySeal(List.of(SECRET), this.now::get);

	@Test
	void sealedBodyOpensOnceAsItWas() {
		byte[] sealed = this.sender.sealAll(TOPIC, bytes("hello"));
		assertThat(this.receiver.open(TOPIC, sealed)).isEqualTo(bytes("hello"));
		assertThat(this.receiver.open(TOPIC, sealed)).isNull();
		assertThat(this.receiver.takeRejections()).isEqualTo(Map.of(Rejection.REPLAYED, 1L));
	}

	@Test
	void forgedTamperedMisdirectedAndForeignPublicationsAreDropped() {
		assertThat(this.receiver.open(TOPIC, bytes("unsealed"))).isNull();
		byte[] tampered = this.sender.sealAll(TOPIC, bytes("pay 1 euro"));
		tampered[tampered.length - 40] ^= 1;
		assertThat(this.receiver.open(TOPIC, tampered)).isNull();
		byte[] misdirected = this.sender.sealAll(TOPIC, bytes("for one topic"));
		assertThat(this.receiver.open(bytes("websocket:node:b"), misdirected)).isNull();
		byte[] foreign = new RelaySeal(List.of(OTHER), this.now::get).sealAll(TOPIC, bytes("foreign"));
		assertThat(this.receiver.open(TOPIC, foreign)).isNull();
		assertThat(this.receiver.takeRejections())
			.isEqualTo(Map.of(Rejection.UNSEALED, 1L, Rejection.TAG, 2L, Rejection.UNKNOWN_KEY, 1L));
		assertThat(this.receiver.takeRejections()).isEmpty();
	}

	@Test
	void staleOrFuturePublicationsAreDropped() {
		byte[] old = this.sender.sealAll(TOPIC, bytes("old"));
		this.now.addAndGet(RelaySeal.MAX_AGE_MILLIS + 1);
		assertThat(this.receiver.open(TOPIC, old)).isNull();
		byte[] future = this.sender.sealAll(TOPIC, bytes("future"));
		this.now.addAndGet(-2 * (RelaySeal.MAX_AGE_MILLIS + 1));
		assertThat(this.receiver.open(TOPIC, future)).isNull();
		assertThat(this.receiver.takeRejections()).isEqualTo(Map.of(Rejection.STALE, 2L));
	}

	@Test
	void publicationsOutOfOrderWithinTheWindowOpenOnceEach() {
		byte[][] sealed = new byte[RelaySeal.WINDOW + 10][];
		for (int i = 0; i < sealed.length; i++) {
			sealed[i] = this.sender.sealAll(TOPIC, bytes("message " + i));
		}
		assertThat(this.receiver.open(TOPIC, sealed[5])).isNotNull();
		assertThat(this.receiver.open(TOPIC, sealed[3])).isNotNull();
		assertThat(this.receiver.open(TOPIC, sealed[4])).isNotNull();
		assertThat(this.receiver.open(TOPIC, sealed[3])).isNull();
		assertThat(this.receiver.open(TOPIC, sealed[sealed.length - 1])).isNotNull();
		// Older than the window behind the highest: it may have been taken, so it is not
		assertThat(this.receiver.open(TOPIC, sealed[6])).isNull();
		assertThat(this.receiver.open(TOPIC, sealed[sealed.length - 2])).isNotNull();
	}

	@Test
	void acceptedSecretOpensWhatTheOldSecretSealedDuringARotation() {
		RelaySeal rotated = new RelaySeal(List.of(OTHER, SECRET), this.now::get);
		assertThat(rotated.open(TOPIC, this.sender.sealAll(TOPIC, bytes("sealed with the old")))).isNotNull();
		assertThat(this.receiver.open(TOPIC, rotated.sealAll(TOPIC, bytes("sealed with the new")))).isNull();
	}

	@Test
	void withoutASecretEverythingGoesAsItIs() {
		RelaySeal off = new RelaySeal(List.of(), this.now::get);
		assertThat(off.sealAll(TOPIC, bytes("plain"))).isEqualTo(bytes("plain"));
		assertThat(off.open(TOPIC, bytes("plain"))).isEqualTo(bytes("plain"));
		assertThat(off.prefixLength()).isZero();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
