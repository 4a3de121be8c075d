package dev.websocketstarter.codec;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Frame}.
 */
class FrameTests {

	@Test
	void textFrameCarriesUtf8Payload() {
		Frame frame = Frame.text("h\u00e9\ud83d\ude00");
		assertThat(frame.fin()).isTrue();
		assertThat(frame.opcode()).isEqualTo(Opcode.TEXT);
		assertThat(frame.payload()).containsExactly("h\u00e9\ud83d\ude00".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void textFrameRejectsUnpairedSurrogate() {
		assertThatIllegalArgumentException().isThrownBy(() -> Frame.text("a\ud800b"));
	}

	@Test
	void closeFrameStartsWithBigEndianCode() {
		assertThat(Frame.close(4999, "\u00e9").payload()).containsExactly(0x13, 0x87, 0xc3, 0xa9);
	}

	@Test
	void closeFrameWithoutBodyIsEmpty() {
		assertThat(Frame.close().payload()).isEmpty();
	}

	@Test
	void closeFrameRejectsCodesNotAllowedOnTheWire() {
		for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1015, 2999, 5000 }) {
			assertThatIllegalArgumentException().as("code %d", code).isThrownBy(() -> Frame.close(code, ""));
		}
	}

	@Test
	void closeFrameAcceptsReasonUpTo123Bytes() {
		assertThat(Frame.close(CloseCodes.NORMAL, "x".repeat(123)).payloadLength()).isEqualTo(125);
		assertThatIllegalArgumentException().isThrownBy(() -> Frame.close(CloseCodes.NORMAL, "x".repeat(124)));
	}

	@Test
	void controlFramesAcceptUpTo125Bytes() {
		assertThat(Frame.ping(new byte[125]).payloadLength()).isEqualTo(125);
		assertThatIllegalArgumentException().isThrownBy(() -> Frame.ping(new byte[126]));
		assertThatIllegalArgumentException().isThrownBy(() -> Frame.pong(new byte[126]));
		assertThatIllegalArgumentException().isThrownBy(() -> new Frame(true, Opcode.CLOSE, new byte[126]));
	}

	@Test
	void controlFramesMustNotBeFragmented() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Frame(false, Opcode.PING, new byte[0]))
			.withMessageContaining("fragmented");
	}

	@Test
	void dataFramesMayBeFragmentedAndLarge() {
		Frame frame = Frame.continuation(new byte[70000], false);
		assertThat(frame.fin()).isFalse();
		assertThat(frame.payloadLength()).isEqualTo(70000);
	}

	@Test
	void payloadIsCopiedOnTheWayInAndOut() {
		byte[] data = { 1, 2, 3 };
		Frame frame = Frame.binary(data);
		data[0] = 9;
		frame.payload()[1] = 9;
		assertThat(frame.payload()).containsExactly(1, 2, 3);
	}

	@Test
	void equalityComparesPayloadContent() {
		assertThat(Frame.binary(new byte[] { 1, 2 })).isEqualTo(Frame.binary(new byte[] { 1, 2 }))
			.hasSameHashCodeAs(Frame.binary(new byte[] { 1, 2 }))
			.isNotEqualTo(Frame.binary(new byte[] { 1, 3 }))
			.isNotEqualTo(Frame.continuation(new byte[] { 1, 2 }, true))
			.isNotEqualTo(Frame.continuation(new byte[] { 1, 2 }, false));
	}

	@Test
	void toStringShowsPayloadBytes() {
		assertThat(Frame.text("Hi")).hasToString("Frame[fin=true, opcode=TEXT, payload=2 bytes [48 69]]");
		assertThat(Frame.binary(new byte[20]).toString())
			.endsWith("payload=20 bytes [" + "00 ".repeat(15) + "00 ...]]");
	}

}
