package dev.websocketstarter.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FrameEncoder}.
 */
class FrameEncoderTests {

	private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] RFC_MASK_KEY = bytes(0x37, 0xfa, 0x21, 0x3d);

	@Test
	void encodesUnmaskedTextFromRfcExample() {
		assertThat(FrameEncoder.encode(Frame.text("Hello")))
			.containsExactly(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
	}

	@Test
	void encodesMaskedTextFromRfcExample() {
		assertThat(FrameEncoder.encode(Frame.text("Hello"), RFC_MASK_KEY))
			.containsExactly(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
	}

	@Test
	void encodesFragmentedUnmaskedTextFromRfcExample() {
		byte[] first = FrameEncoder.encode(new Frame(false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.US_ASCII)));
		byte[] second = FrameEncoder.encode(Frame.continuation("lo".getBytes(StandardCharsets.US_ASCII), true));
		assertThat(first).containsExactly(bytes(0x01, 0x03, 0x48, 0x65, 0x6c));
		assertThat(second).containsExactly(bytes(0x80, 0x02, 0x6c, 0x6f));
	}

	@Test
	void encodesUnmaskedPingFromRfcExample() {
		assertThat(FrameEncoder.encode(Frame.ping(HELLO)))
			.containsExactly(bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
	}

	@Test
	void encodesMaskedPongFromRfcExample() {
		assertThat(FrameEncoder.encode(Frame.pong(HELLO), RFC_MASK_KEY))
			.containsExactly(bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
	}

	@Test
	void encodes256ByteBinaryWith16BitLengthFromRfcExample() {
		byte[] payload = pattern(256);
		byte[] encoded = FrameEncoder.encode(Frame.binary(payload));
		assertThat(encoded).hasSize(4 + 256).startsWith(bytes(0x82, 0x7e, 0x01, 0x00));
		assertThat(Arrays.copyOfRange(encoded, 4, encoded.length)).containsExactly(payload);
	}

	@Test
	void encodes64KiBBinaryWith64BitLengthFromRfcExample() {
		byte[] payload = pattern(65536);
		byte[] encoded = FrameEncoder.encode(Frame.binary(payload));
		assertThat(encoded).hasSize(10 + 65536)
			.startsWith(bytes(0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00));
		assertThat(Arrays.copyOfRange(encoded, 10, encoded.length)).containsExactly(payload);
	}

	@Test
	void uses7BitLengthUpTo125Bytes() {
		assertThat(FrameEncoder.encode(Frame.binary(new byte[125]))).hasSize(2 + 125).startsWith(bytes(0x82, 125));
	}

	@Test
	void uses16BitLengthFrom126Bytes() {
		assertThat(FrameEncoder.encode(Frame.binary(new byte[126]))).hasSize(4 + 126)
			.startsWith(bytes(0x82, 0x7e, 0x00, 0x7e));
	}

	@Test
	void uses16BitLengthUpTo65535Bytes() {
		assertThat(FrameEncoder.encode(Frame.binary(new byte[65535]))).hasSize(4 + 65535)
			.startsWith(bytes(0x82, 0x7e, 0xff, 0xff));
	}

	@Test
	void uses64BitLengthFrom65536Bytes() {
		assertThat(FrameEncoder.encode(Frame.binary(new byte[65536]))).hasSize(10 + 65536)
			.startsWith(bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00));
	}

	@Test
	void placesMaskingKeyAfterExtendedLength() {
		byte[] encoded = FrameEncoder.encode(Frame.binary(new byte[126]), RFC_MASK_KEY);
		assertThat(encoded).hasSize(8 + 126).startsWith(bytes(0x82, 0xfe, 0x00, 0x7e, 0x37, 0xfa, 0x21, 0x3d));
		assertThat(Arrays.copyOfRange(encoded, 8, 12)).containsExactly(RFC_MASK_KEY);
	}

	@Test
	void encodesCloseWithCodeAndReason() {
		assertThat(FrameEncoder.encode(Frame.close(CloseCodes.GOING_AWAY, "bye")))
			.containsExactly(bytes(0x88, 0x05, 0x03, 0xe9, 'b', 'y', 'e'));
	}

	@Test
	void encodesCloseWithoutBody() {
		assertThat(FrameEncoder.encode(Frame.close())).containsExactly(bytes(0x88, 0x00));
	}

	@Test
	void encodesEmptyTextFrame() {
		assertThat(FrameEncoder.encode(Frame.text(""))).containsExactly(bytes(0x81, 0x00));
	}

	@Test
	void encodesRawHeaderValuesWithoutValidation() {
		assertThat(FrameEncoder.encode(false, 7, 0xb, new byte[0], null)).containsExactly(bytes(0x7b, 0x00));
		assertThat(FrameEncoder.encode(true, 4, Opcode.PING.code(), new byte[126], null)).hasSize(4 + 126)
			.startsWith(bytes(0xc9, 0x7e, 0x00, 0x7e));
	}

	@Test
	void rejectsRawHeaderValuesThatDoNotFitTheirField() {
		assertThatIllegalArgumentException().isThrownBy(() -> FrameEncoder.encode(true, 8, 1, new byte[0], null))
			.withMessageContaining("rsv");
		assertThatIllegalArgumentException().isThrownBy(() -> FrameEncoder.encode(true, 0, 16, new byte[0], null))
			.withMessageContaining("opcode");
		assertThatIllegalArgumentException().isThrownBy(() -> FrameEncoder.encode(true, -1, 1, new byte[0], null));
	}

	@Test
	void rejectsMaskingKeyThatIsNotFourBytes() {
		assertThatIllegalArgumentException().isThrownBy(() -> FrameEncoder.encode(Frame.text("x"), new byte[3]))
			.withMessageContaining("maskKey");
	}

	@Test
	void computesHeaderLengths() {
		assertThat(FrameEncoder.headerLength(0, false)).isEqualTo(2);
		assertThat(FrameEncoder.headerLength(125, false)).isEqualTo(2);
		assertThat(FrameEncoder.headerLength(126, false)).isEqualTo(4);
		assertThat(FrameEncoder.headerLength(65535, false)).isEqualTo(4);
		assertThat(FrameEncoder.headerLength(65536, false)).isEqualTo(10);
		assertThat(FrameEncoder.headerLength(125, true)).isEqualTo(6);
		assertThat(FrameEncoder.headerLength(65536, true)).isEqualTo(14);
	}

	@Test
	void writesIntoBufferInNetworkByteOrderWhateverTheBufferOrder() {
		ByteBuffer target = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
		target.put((byte) 0x55);
		FrameEncoder.encode(Frame.binary(pattern(256)), null, target);
		assertThat(target.position()).isEqualTo(1 + 4 + 256);
		target.flip().get();
		byte[] written = new byte[target.remaining()];
		target.get(written);
		assertThat(written).containsExactly(FrameEncoder.encode(Frame.binary(pattern(256))));
	}

	@Test
	void writesMaskedFrameIntoBuffer() {
		ByteBuffer target = ByteBuffer.allocate(11);
		FrameEncoder.encode(Frame.text("Hello"), RFC_MASK_KEY, target);
		assertThat(target.array())
			.containsExactly(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
	}

	@Test
	void writesNothingWhenBufferIsTooSmall() {
		ByteBuffer target = ByteBuffer.allocate(6);
		assertThatExceptionOfType(BufferOverflowException.class)
			.isThrownBy(() -> FrameEncoder.encode(Frame.text("Hello"), null, target));
		assertThat(target.position()).isZero();
	}

	static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	static byte[] pattern(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (i * 7 + 3);
		}
		return bytes;
	}

}
