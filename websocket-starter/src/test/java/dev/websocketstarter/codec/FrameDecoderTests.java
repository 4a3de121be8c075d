package dev.websocketstarter.codec;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link FrameDecoder}.
 */
class FrameDecoderTests {

	private static final FrameDecoder.Settings CLIENT = FrameDecoder.Settings.forClient(1 << 20);

	private static final FrameDecoder.Settings SERVER = FrameDecoder.Settings.forServer(1 << 20);

	private static final byte[] MASK_KEY = FrameEncoderTests.bytes(0x37, 0xfa, 0x21, 0x3d);

	private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

	@Test
	void decodesUnmaskedTextFromRfcExample() {
		assertDecodes(CLIENT, FrameEncoderTests.bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), "text:Hello");
	}

	@Test
	void decodesMaskedTextFromRfcExample() {
		assertDecodes(SERVER, FrameEncoderTests.bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
				"text:Hello");
	}

	@Test
	void decodesFragmentedUnmaskedTextFromRfcExample() {
		assertDecodes(CLIENT, FrameEncoderTests.bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f),
				"text:Hello");
	}

	@Test
	void decodesUnmaskedPingFromRfcExample() {
		assertDecodes(CLIENT, FrameEncoderTests.bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
				RecordingListener.ping(HELLO));
	}

	@Test
	void decodesMaskedPongFromRfcExample() {
		assertDecodes(SERVER, FrameEncoderTests.bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
				RecordingListener.pong(HELLO));
	}

	@Test
	void decodes256ByteBinaryFromRfcExample() {
		byte[] payload = FrameEncoderTests.pattern(256);
		assertDecodes(CLIENT, concat(FrameEncoderTests.bytes(0x82, 0x7e, 0x01, 0x00), payload),
				RecordingListener.binary(payload));
	}

	@Test
	void decodes64KiBBinaryFromRfcExample() {
		byte[] payload = FrameEncoderTests.pattern(65536);
		assertDecodes(CLIENT, concat(FrameEncoderTests.bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00), payload),
				RecordingListener.binary(payload));
	}

	@Test
	void decodesMaskedFramesAtLengthEdges() {
		for (int length : new int[] { 0, 1, 125, 126, 127, 65535, 65536, 70001 }) {
			byte[] payload = FrameEncoderTests.pattern(length);
			assertDecodes(SERVER, FrameEncoder.encode(Frame.binary(payload), MASK_KEY),
					RecordingListener.binary(payload));
		}
	}

	@Test
	void acceptsLengthsEncodedLongerThanNeeded() {
		assertDecodes(CLIENT,
				FrameEncoderTests.bytes(0x81, 0x7e, 0x00, 0x02, 'h', 'i', 0x81, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x01, '!'),
				"text:hi", "text:!");
	}

	@Test
	void decodesSeveralFramesFromOneBuffer() {
		byte[] input = concat(FrameEncoder.encode(Frame.text("a")),
				FrameEncoder.encode(Frame.binary(FrameEncoderTests.bytes(1, 2))), FrameEncoder.encode(Frame.text("")),
				FrameEncoder.encode(Frame.close(CloseCodes.NORMAL, "done")));
		assertDecodes(CLIENT, input, "text:a", "binary:0102", "text:", "close:1000:done");
	}

	@Test
	void consumesAllRemainingBytesFromBufferPosition() {
		byte[] frame = FrameEncoder.encode(Frame.text("Hello"));
		ByteBuffer input = ByteBuffer
			.wrap(concat(FrameEncoderTests.bytes(0xff, 0xff), frame, FrameEncoderTests.bytes(0xff)), 2, frame.length);
		RecordingListener listener = new RecordingListener();
		new FrameDecoder(CLIENT).decode(input, listener);
		assertThat(input.hasRemaining()).isFalse();
		assertThat(input.position()).isEqualTo(2 + frame.length);
		assertThat(listener.events()).containsExactly("text:Hello");
	}

	@Test
	void decodesFromDirectBuffer() {
		byte[] frame = FrameEncoder.encode(Frame.text("Hello"), MASK_KEY);
		ByteBuffer input = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
		RecordingListener listener = new RecordingListener();
		new FrameDecoder(SERVER).decode(input, listener);
		assertThat(listener.events()).containsExactly("text:Hello");
	}

	@Test
	void deliversPingInterleavedInFragmentedMessageAtOnce() {
		FrameDecoder decoder = new FrameDecoder(SERVER);
		RecordingListener listener = new RecordingListener();
		decoder.decode(ByteBuffer
			.wrap(concat(FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes('H')), MASK_KEY),
					FrameEncoder.encode(Frame.ping(HELLO), MASK_KEY))),
				listener);
		assertThat(listener.events()).containsExactly(RecordingListener.ping(HELLO));
		decoder.decode(
				ByteBuffer
					.wrap(concat(FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes('i'), false), MASK_KEY),
							FrameEncoder.encode(Frame.pong(FrameEncoderTests.bytes()), MASK_KEY),
							FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes('!'), true), MASK_KEY))),
				listener);
		assertThat(listener.events()).containsExactly(RecordingListener.ping(HELLO), "pong:", "text:Hi!");
	}

	@Test
	void deliversCloseInterleavedInFragmentedMessage() {
		byte[] input = concat(FrameEncoder.encode(new Frame(false, Opcode.BINARY, FrameEncoderTests.bytes(1))),
				FrameEncoder.encode(Frame.close(CloseCodes.GOING_AWAY, "")),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(2), true)));
		assertDecodes(CLIENT, input, "close:1001:", "binary:0102");
	}

	@Test
	void decodesFragmentedMessageWithEmptyFragments() {
		byte[] input = concat(FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes())),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(), false)),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes('o', 'k'), false)),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(), true)));
		assertDecodes(CLIENT, input, "text:ok");
	}

	@Test
	void decodesCloseWithoutBodyAsNoStatus() {
		assertDecodes(CLIENT, FrameEncoderTests.bytes(0x88, 0x00), "close:1005:");
	}

	@Test
	void decodesCloseWithCodeAndUtf8Reason() {
		assertDecodes(SERVER, FrameEncoder.encode(Frame.close(4000, "caf\u00e9 \ud83d\ude00"), MASK_KEY),
				"close:4000:caf\u00e9 \ud83d\ude00");
		assertDecodes(CLIENT, FrameEncoder.encode(Frame.close(3000, "")), "close:3000:");
	}

	@Test
	void decodesControlFramesOf125Bytes() {
		byte[] payload = FrameEncoderTests.pattern(125);
		assertDecodes(CLIENT, FrameEncoder.encode(Frame.ping(payload)), RecordingListener.ping(payload));
	}

	@Test
	void decodesFourByteCharactersSplitAcrossFragments() {
		byte[] smile = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
		for (int split = 0; split <= smile.length; split++) {
			byte[] input = concat(
					FrameEncoder.encode(new Frame(false, Opcode.TEXT,
							concat(FrameEncoderTests.bytes('a'), slice(smile, 0, split)))),
					FrameEncoder.encode(Frame
						.continuation(concat(slice(smile, split, smile.length), FrameEncoderTests.bytes('b')), true)));
			assertDecodes(CLIENT, input, "text:a\ud83d\ude00b");
		}
	}

	@Test
	void decodesEveryUtf8Boundary() {
		String text = "\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff";
		assertDecodes(CLIENT, FrameEncoder.encode(Frame.text(text)), "text:" + text);
	}

	@Test
	void rejectsUnmaskedFrameFromClient() {
		assertProtocolError(SERVER, FrameEncoderTests.bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
				CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void rejectsMaskedFrameFromServer() {
		assertProtocolError(CLIENT, FrameEncoder.encode(Frame.text("Hello"), MASK_KEY), CloseCodes.PROTOCOL_ERROR);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7 })
	void rejectsReservedBits(int rsv) {
		assertProtocolError(CLIENT, FrameEncoder.encode(true, rsv, Opcode.TEXT.code(), HELLO, null),
				CloseCodes.PROTOCOL_ERROR);
		assertProtocolError(CLIENT, FrameEncoder.encode(true, rsv, Opcode.PING.code(), HELLO, null),
				CloseCodes.PROTOCOL_ERROR);
	}

	@ParameterizedTest
	@ValueSource(ints = { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
	void rejectsReservedOpcodes(int opcode) {
		assertProtocolError(SERVER, FrameEncoder.encode(true, 0, opcode, HELLO, MASK_KEY), CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void rejectsControlFrameLongerThan125Bytes() {
		for (Opcode opcode : List.of(Opcode.PING, Opcode.PONG, Opcode.CLOSE)) {
			assertProtocolError(CLIENT, FrameEncoder.encode(true, 0, opcode.code(), new byte[126], null),
					CloseCodes.PROTOCOL_ERROR);
		}
	}

	@Test
	void rejectsFragmentedControlFrame() {
		for (Opcode opcode : List.of(Opcode.PING, Opcode.PONG, Opcode.CLOSE)) {
			assertProtocolError(CLIENT, FrameEncoder.encode(false, 0, opcode.code(), FrameEncoderTests.bytes(), null),
					CloseCodes.PROTOCOL_ERROR);
		}
	}

	@Test
	void rejects64BitLengthWithMostSignificantBitSet() {
		assertProtocolError(CLIENT, FrameEncoderTests.bytes(0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0x01),
				CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void rejectsContinuationWithoutStartedMessage() {
		assertProtocolError(CLIENT, FrameEncoder.encode(Frame.continuation(HELLO, true)), CloseCodes.PROTOCOL_ERROR);
		byte[] afterCompleteMessage = concat(FrameEncoder.encode(Frame.text("a")),
				FrameEncoder.encode(Frame.continuation(HELLO, false)));
		assertProtocolError(CLIENT, afterCompleteMessage, CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void rejectsNewMessageWhileFragmentedMessageIsOpen() {
		byte[] open = FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes('a')));
		assertProtocolError(CLIENT, concat(open, FrameEncoder.encode(Frame.text("b"))), CloseCodes.PROTOCOL_ERROR);
		assertProtocolError(CLIENT, concat(open, FrameEncoder.encode(Frame.binary(FrameEncoderTests.bytes(1)))),
				CloseCodes.PROTOCOL_ERROR);
	}

	@ParameterizedTest
	@ValueSource(strings = { "80", "bf", "c0 80", "c1 bf", "e0 80 80", "e0 9f bf", "ed a0 80", "ed bf bf",
			"f0 80 80 80", "f0 8f bf bf", "f4 90 80 80", "f5 80 80 80", "f8 88 80 80 80", "fe", "ff", "c2 41",
			"e2 82 41", "f0 9f 98 41" })
	void rejectsInvalidUtf8InText(String hex) {
		byte[] invalid = HexFormat.ofDelimiter(" ").parseHex(hex);
		assertProtocolError(CLIENT, FrameEncoder.encode(true, 0, Opcode.TEXT.code(),
				concat(FrameEncoderTests.bytes('o', 'k'), invalid), null), CloseCodes.INVALID_PAYLOAD);
	}

	@Test
	void rejectsTextEndingInsideUtf8Sequence() {
		assertProtocolError(CLIENT,
				FrameEncoder.encode(true, 0, Opcode.TEXT.code(), FrameEncoderTests.bytes('a', 0xe2, 0x82), null),
				CloseCodes.INVALID_PAYLOAD);
		byte[] fragmented = concat(
				FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes('a', 0xf0, 0x9f))),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(0x98), true)));
		assertProtocolError(CLIENT, fragmented, CloseCodes.INVALID_PAYLOAD);
	}

	@Test
	void rejectsInvalidUtf8SplitAcrossFragments() {
		byte[] surrogate = concat(
				FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes('a', 0xed))),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(0xa0, 0x80), true)));
		assertProtocolError(CLIENT, surrogate, CloseCodes.INVALID_PAYLOAD);
		byte[] brokenSequence = concat(
				FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes(0xf0, 0x9f))),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(0x98, 'x'), true)));
		assertProtocolError(CLIENT, brokenSequence, CloseCodes.INVALID_PAYLOAD);
	}

	@Test
	void acceptsInvalidUtf8InBinary() {
		assertDecodes(CLIENT, FrameEncoder.encode(Frame.binary(FrameEncoderTests.bytes(0xed, 0xa0, 0x80))),
				"binary:eda080");
	}

	@Test
	void failsFastOnInvalidUtf8BeforeFrameCompletes() {
		byte[] payload = new byte[1000];
		payload[10] = (byte) 0xff;
		byte[] frame = FrameEncoder.encode(true, 0, Opcode.TEXT.code(), payload, MASK_KEY);
		FrameDecoder decoder = new FrameDecoder(SERVER);
		RecordingListener listener = new RecordingListener();
		int headerLength = FrameEncoder.headerLength(payload.length, true);
		decoder.decode(ByteBuffer.wrap(frame, 0, headerLength + 10), listener);
		assertThatExceptionOfType(WebSocketProtocolException.class)
			.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(frame, headerLength + 10, 1), listener))
			.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD));
	}

	@Test
	void failsFastOnInvalidUtf8InContinuationBeforeMessageCompletes() {
		FrameDecoder decoder = new FrameDecoder(CLIENT);
		RecordingListener listener = new RecordingListener();
		decoder.decode(
				ByteBuffer.wrap(FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes('a', 0xe2)))),
				listener);
		byte[] continuation = FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(0x28, 'b', 'c'), true));
		assertThatExceptionOfType(WebSocketProtocolException.class)
			.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(continuation, 0, 3), listener))
			.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD));
		assertThat(listener.events()).isEmpty();
	}

	@Test
	void rejectsCloseBodyOfOneByte() {
		assertProtocolError(CLIENT,
				FrameEncoder.encode(true, 0, Opcode.CLOSE.code(), FrameEncoderTests.bytes(0x03), null),
				CloseCodes.PROTOCOL_ERROR);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 })
	void rejectsCloseCodeNotValidOnTheWire(int code) {
		assertProtocolError(SERVER, FrameEncoder.encode(true, 0, Opcode.CLOSE.code(),
				FrameEncoderTests.bytes(code >> 8, code, 'x'), MASK_KEY), CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void rejectsCloseReasonThatIsNotUtf8() {
		assertProtocolError(CLIENT,
				FrameEncoder.encode(true, 0, Opcode.CLOSE.code(), FrameEncoderTests.bytes(0x03, 0xe8, 0xc3), null),
				CloseCodes.INVALID_PAYLOAD);
		assertProtocolError(CLIENT, FrameEncoder.encode(true, 0, Opcode.CLOSE.code(),
				FrameEncoderTests.bytes(0x03, 0xe8, 0xed, 0xa0, 0x80), null), CloseCodes.INVALID_PAYLOAD);
	}

	@Test
	void validatesCloseReasonIndependentlyOfOpenTextMessage() {
		byte[] input = concat(FrameEncoder.encode(new Frame(false, Opcode.TEXT, FrameEncoderTests.bytes(0xe2, 0x82))),
				FrameEncoder.encode(Frame.close(CloseCodes.NORMAL, "ok")),
				FrameEncoder.encode(Frame.continuation(FrameEncoderTests.bytes(0xac), true)));
		assertDecodes(CLIENT, input, "close:1000:ok", "text:\u20ac");
	}

	@Test
	void rejectsSingleFrameAboveLimitFromItsHeader() {
		FrameDecoder.Settings settings = FrameDecoder.Settings.forClient(100);
		assertDecodes(settings, FrameEncoder.encode(Frame.binary(new byte[100])),
				RecordingListener.binary(new byte[100]));
		assertProtocolError(settings, FrameEncoderTests.bytes(0x82, 0x65), CloseCodes.MESSAGE_TOO_BIG);
		assertProtocolError(settings, FrameEncoderTests.bytes(0x81, 0x7e, 0x00, 0x65), CloseCodes.MESSAGE_TOO_BIG);
	}

	@Test
	void rejectsFragmentedMessageWhoseSumExceedsLimit() {
		FrameDecoder.Settings settings = FrameDecoder.Settings.forServer(100);
		byte[] first = FrameEncoder.encode(new Frame(false, Opcode.TEXT, new byte[60]), MASK_KEY);
		byte[] ping = FrameEncoder.encode(Frame.ping(new byte[125]), MASK_KEY);
		byte[] exact = FrameEncoder.encode(Frame.continuation(new byte[40], true), MASK_KEY);
		byte[] over = FrameEncoder.encode(Frame.continuation(new byte[41], true), MASK_KEY);
		assertDecodes(settings, concat(first, ping, exact), RecordingListener.ping(new byte[125]),
				"text:" + "\0".repeat(100));
		assertProtocolError(settings, concat(first, ping, over), CloseCodes.MESSAGE_TOO_BIG);
	}

	@Test
	void handsEachControlFrameItsOwnPayloadWhenSplitAcrossReads() {
		// The decoder makes a payload per control frame rather than keeping a buffer per
		// connection: a payload handed out must not change with the frames after it
		byte[] input = concat(FrameEncoder.encode(Frame.ping(HELLO), MASK_KEY),
				FrameEncoder.encode(Frame.pong(FrameEncoderTests.bytes()), MASK_KEY),
				FrameEncoder.encode(Frame.ping("World".getBytes(StandardCharsets.US_ASCII)), MASK_KEY),
				FrameEncoder.encode(Frame.close(CloseCodes.GOING_AWAY, "bye"), MASK_KEY));
		List<byte[]> payloads = new ArrayList<>();
		RecordingListener listener = new RecordingListener() {

			@Override
			public void onPing(byte[] payload) {
				payloads.add(payload);
				super.onPing(payload);
			}

			@Override
			public void onPong(byte[] payload) {
				payloads.add(payload);
				super.onPong(payload);
			}

		};
		FrameDecoder decoder = new FrameDecoder(SERVER);
		for (int i = 0; i < input.length; i += 3) {
			decoder.decode(ByteBuffer.wrap(input, i, Math.min(3, input.length - i)), listener);
		}
		assertThat(listener.events()).containsExactly(RecordingListener.ping(HELLO), "pong:", "ping:576f726c64",
				"close:1001:bye");
		assertThat(payloads).satisfiesExactly((first) -> assertThat(first).isEqualTo(HELLO),
				(second) -> assertThat(second).isEmpty(),
				(third) -> assertThat(third).isEqualTo("World".getBytes(StandardCharsets.US_ASCII)));
	}

	@Test
	void rejectsHugeDeclaredLengthWithoutWaitingForPayload() {
		FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(Long.MAX_VALUE));
		assertThatExceptionOfType(WebSocketProtocolException.class)
			.isThrownBy(() -> decoder.decode(
					ByteBuffer
						.wrap(FrameEncoderTests.bytes(0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
					new RecordingListener()))
			.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
	}

	@Test
	void allocatesWithArrivingBytesNotWithDeclaredLength() {
		assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
		FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(256L << 20));
		RecordingListener listener = new RecordingListener();
		ByteBuffer input = ByteBuffer
			.wrap(FrameEncoderTests.bytes(0x82, 0x7f, 0, 0, 0, 0, 0x10, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8));
		long threadId = Thread.currentThread().getId();
		long before = threads.getThreadAllocatedBytes(threadId);
		decoder.decode(input, listener);
		long allocated = threads.getThreadAllocatedBytes(threadId) - before;
		assertThat(allocated).as("bytes allocated for a 256 MiB frame with 8 bytes received").isLessThan(64 * 1024);
	}

	@Test
	void refusesInputAfterFailure() {
		FrameDecoder decoder = new FrameDecoder(SERVER);
		RecordingListener listener = new RecordingListener();
		assertThatExceptionOfType(WebSocketProtocolException.class)
			.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(FrameEncoderTests.bytes(0x81, 0x00)), listener));
		assertThatIllegalStateException().isThrownBy(
				() -> decoder.decode(ByteBuffer.wrap(FrameEncoder.encode(Frame.text("a"), MASK_KEY)), listener));
		assertThatIllegalStateException().isThrownBy(() -> decoder.decode(ByteBuffer.allocate(0), listener));
		assertThat(listener.events()).isEmpty();
	}

	@Test
	void staysUsableWhenListenerThrows() {
		FrameDecoder decoder = new FrameDecoder(CLIENT);
		RecordingListener recorder = new RecordingListener();
		ByteBuffer input = ByteBuffer
			.wrap(concat(FrameEncoder.encode(Frame.text("boom")), FrameEncoder.encode(Frame.text("next"))));
		FrameListener throwing = new RecordingListener() {

			@Override
			public void onText(String text) {
				throw new IllegalStateException(text);
			}

		};
		assertThatIllegalStateException().isThrownBy(() -> decoder.decode(input, throwing)).withMessage("boom");
		decoder.decode(input, recorder);
		assertThat(recorder.events()).containsExactly("text:next");
	}

	@Test
	void acceptsEmptyInput() {
		RecordingListener listener = new RecordingListener();
		new FrameDecoder(CLIENT).decode(ByteBuffer.allocate(0), listener);
		assertThat(listener.events()).isEmpty();
	}

	private static void assertDecodes(FrameDecoder.Settings settings, byte[] input, String... expected) {
		RecordingListener whole = new RecordingListener();
		new FrameDecoder(settings).decode(ByteBuffer.wrap(input), whole);
		assertThat(whole.events()).as("delivered whole").containsExactly(expected);
		RecordingListener bytewise = new RecordingListener();
		FrameDecoder decoder = new FrameDecoder(settings);
		for (byte b : input) {
			decoder.decode(ByteBuffer.wrap(new byte[] { b }), bytewise);
		}
		assertThat(bytewise.events()).as("delivered one byte at a time").containsExactly(expected);
	}

	private static void assertProtocolError(FrameDecoder.Settings settings, byte[] input, int closeCode) {
		FrameDecoder whole = new FrameDecoder(settings);
		assertFailsWith(() -> whole.decode(ByteBuffer.wrap(input), new RecordingListener()), closeCode);
		FrameDecoder bytewise = new FrameDecoder(settings);
		assertFailsWith(() -> {
			for (byte b : input) {
				bytewise.decode(ByteBuffer.wrap(new byte[] { b }), new RecordingListener());
			}
		}, closeCode);
	}

	private static void assertFailsWith(ThrowingCallable callable, int closeCode) {
		assertThatExceptionOfType(WebSocketProtocolException.class).isThrownBy(callable)
			.satisfies((ex) -> assertThat(ex.closeCode()).as(ex.getMessage()).isEqualTo(closeCode));
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static byte[] slice(byte[] bytes, int from, int to) {
		return Arrays.copyOfRange(bytes, from, to);
	}

}
