package dev.websocketstarter.internal.channel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.registry.OverflowPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboundQueue} and the messages it holds.
 */
class OutboundQueueTests {

	@Test
	void messagesWithinTheLimitAreQueuedInOrder() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.CLOSE);
		assertThat(queue.offer(text("abcd"))).isSameAs(OutboundQueue.Offer.QUEUED);
		assertThat(queue.offer(text("efghij"))).isSameAs(OutboundQueue.Offer.QUEUED);
		assertThat(queue.bytes()).isEqualTo(10);
		assertThat(drain(queue)).containsExactly("abcd", "efghij");
		assertThat(queue.bytes()).isZero();
		assertThat(queue.isEmpty()).isTrue();
	}

	@Test
	void messagePastTheLimitIsRefusedUnderClose() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.CLOSE);
		queue.offer(text("abcdefgh"));
		assertThat(queue.offer(text("ijk"))).isSameAs(OutboundQueue.Offer.REFUSED);
		assertThat(queue.bytes()).isEqualTo(8);
		assertThat(drain(queue)).containsExactly("abcdefgh");
		assertThat(queue.dropped()).isZero();
	}

	@Test
	void messageLargerThanTheLimitGoesToAnEmptyQueue() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.CLOSE);
		assertThat(queue.offer(text("a message of more than ten bytes")).queued()).isTrue();
		assertThat(queue.offer(text("x"))).isSameAs(OutboundQueue.Offer.REFUSED);
	}

	@Test
	void dropOldestKeepsTheNewestRunWithoutAGap() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.DROP_OLDEST);
		List<OutboundQueue.Offer> offers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			offers.add(queue.offer(text(String.format("%02d", i))));
		}
		assertThat(drain(queue)).containsExactly("15", "16", "17", "18", "19");
		assertThat(queue.dropped()).isEqualTo(15);
		assertThat(offers.subList(0, 5)).allSatisfy((offer) -> assertThat(offer).isSameAs(OutboundQueue.Offer.QUEUED));
		assertThat(offers.get(5)).isEqualTo(new OutboundQueue.Offer(true, 1, true));
		assertThat(offers.subList(6, 20))
			.allSatisfy((offer) -> assertThat(offer).isEqualTo(new OutboundQueue.Offer(true, 1, false)));
	}

	@Test
	void dropOldestMakesRoomForALargeMessageWithSeveralDrops() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.DROP_OLDEST);
		queue.offer(text("aaa"));
		queue.offer(text("bbb"));
		queue.offer(text("ccc"));
		assertThat(queue.offer(text("dddddddd"))).isEqualTo(new OutboundQueue.Offer(true, 3, true));
		assertThat(drain(queue)).containsExactly("dddddddd");
	}

	@Test
	void clearDiscardsEverything() {
		OutboundQueue queue = new OutboundQueue(10, OverflowPolicy.CLOSE);
		queue.offer(text("abc"));
		queue.clear();
		assertThat(queue.poll()).isNull();
		assertThat(queue.bytes()).isZero();
		assertThat(queue.offer(text("abcdefghij"))).isSameAs(OutboundQueue.Offer.QUEUED);
	}

	@Test
	void binaryMessageIsACopySoTheCallerMayReuseTheArray() {
		byte[] data = { 1, 2, 3 };
		Outbound message = Outbound.binary(data);
		data[0] = 9;
		assertThat(message.payload().array()).containsExactly(1, 2, 3);
		assertThat(message.opcode()).isEqualTo((byte) 0x2);
	}

	@Test
	void textCountsItsUtf8BytesAgainstTheLimit() {
		Outbound message = Outbound.text("ü€😀");
		assertThat(message.size()).isEqualTo(2 + 3 + 4);
		assertThat(message.opcode()).isEqualTo((byte) 0x1);
	}

	@Test
	void eachWriteGetsItsOwnBufferOverTheSharedPayload() {
		Outbound message = Outbound.text("shared");
		message.payload().position(3);
		assertThat(message.payload().remaining()).isEqualTo(6);
	}

	private static Outbound text(String text) {
		return Outbound.text(text);
	}

	private static List<String> drain(OutboundQueue queue) {
		List<String> texts = new ArrayList<>();
		Outbound message;
		while ((message = queue.poll()) != null) {
			texts.add(StandardCharsets.UTF_8.decode(message.payload()).toString());
		}
		return texts;
	}

}
