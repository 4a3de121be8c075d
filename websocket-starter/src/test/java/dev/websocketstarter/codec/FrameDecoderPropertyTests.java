package dev.websocketstarter.codec;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Property-based tests for {@link FrameDecoder}, fed by {@link FrameEncoder}.
 */
class FrameDecoderPropertyTests {

	private static final long LARGE_LIMIT = 1 << 20;

	@Property(tries = 300)
	void decodesEncodedMessagesInOrderWhateverTheChunking(@ForAll("conversations") List<Message> conversation,
			@ForAll boolean masked, @ForAll("chunkSizes") List<Integer> chunkSizes, @ForAll boolean direct,
			@ForAll long maskSeed) {
		byte[] stream = encode(conversation, masked, new Random(maskSeed));
		RecordingListener listener = new RecordingListener();
		FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Settings(masked, LARGE_LIMIT));
		feed(decoder, stream, chunkSizes, direct, listener);
		assertThat(listener.events()).containsExactlyElementsOf(expectedEvents(conversation));
	}

	@Property(tries = 500)
	void mutatedStreamsYieldEventsOrProtocolErrorsOnly(@ForAll("conversations") List<Message> conversation,
			@ForAll boolean masked, @ForAll("mutations") List<Mutation> mutations,
			@ForAll("chunkSizes") List<Integer> chunkSizes, @ForAll @IntRange(max = 2048) int maxMessageSize,
			@ForAll long maskSeed) {
		byte[] stream = encode(conversation, masked, new Random(maskSeed));
		for (Mutation mutation : mutations) {
			stream = mutation.applyTo(stream);
		}
		assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, maxMessageSize), stream, chunkSizes);
	}

	@Property(tries = 500)
	void arbitraryFramesYieldEventsOrProtocolErrorsOnly(@ForAll("rawFrames") List<byte[]> frames,
			@ForAll boolean masked, @ForAll("chunkSizes") List<Integer> chunkSizes,
			@ForAll @IntRange(max = 300) int maxMessageSize) {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		frames.forEach(stream::writeBytes);
		assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, maxMessageSize), stream.toByteArray(),
				chunkSizes);
	}

	@Property(tries = 200)
	void arbitraryBytesYieldEventsOrProtocolErrorsOnly(@ForAll @Size(max = 500) byte[] noise, @ForAll boolean masked,
			@ForAll("chunkSizes") List<Integer> chunkSizes) {
		assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, 256), noise, chunkSizes);
	}

	@Property(tries = 200)
	void declaredLengthAboveLimitFailsBeforeAnyPayloadArrives(@ForAll @LongRange(max = 1 << 20) long maxMessageSize,
			@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long excess, @ForAll boolean text) {
		long declared = (excess > Long.MAX_VALUE - maxMessageSize) ? Long.MAX_VALUE : maxMessageSize + excess;
		byte[] header = header(text ? 0x81 : 0x82, declared);
		FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(maxMessageSize));
		assertThatExceptionOfType(WebSocketProtocolException.class)
			.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(header), new RecordingListener()))
			.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
	}

	@Property(tries = 100)
	void allocationFollowsReceivedBytesNotDeclaredLength(
			@ForAll @LongRange(min = 1 << 16, max = Integer.MAX_VALUE - 8) long declared,
			@ForAll @Size(max = 200) byte[] received) {
		Assume.that(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		Assume.that(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
		byte[] input = concat(header(0x82, declared), received);
		FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(Long.MAX_VALUE));
		long threadId = Thread.currentThread().getId();
		long before = threads.getThreadAllocatedBytes(threadId);
		decoder.decode(ByteBuffer.wrap(input), new RecordingListener());
		assertThat(threads.getThreadAllocatedBytes(threadId) - before).isLessThan(64 * 1024);
	}

	private static void assertDecodesOrFailsWithProtocolError(FrameDecoder.Settings settings, byte[] stream,
			List<Integer> chunkSizes) {
		RecordingListener listener = new RecordingListener();
		FrameDecoder decoder = new FrameDecoder(settings);
		try {
			feed(decoder, stream, chunkSizes, false, listener);
		}
		catch (WebSocketProtocolException ex) {
			assertThat(ex.closeCode()).isIn(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
					CloseCodes.MESSAGE_TOO_BIG);
			assertThat(ex.getMessage()).isNotBlank();
		}
		assertThat(listener.largestMessage()).isLessThanOrEqualTo((int) settings.maxMessageSize());
		assertThat(listener.largestControlPayload()).isLessThanOrEqualTo(Frame.MAX_CONTROL_PAYLOAD);
	}

	private static void feed(FrameDecoder decoder, byte[] stream, List<Integer> chunkSizes, boolean direct,
			Listener listener) {
		int position = 0;
		int chunk = 0;
		do {
			int size = chunkSizes.isEmpty() ? stream.length : chunkSizes.get(chunk++ % chunkSizes.size());
			int length = Math.min(size, stream.length - position);
			ByteBuffer input = ByteBuffer.wrap(stream, position, length);
			if (direct) {
				input = ByteBuffer.allocateDirect(length).put(input).flip();
			}
			decoder.decode(input, listener);
			assertThat(input.hasRemaining()).isFalse();
			position += length;
		}
		while (position < stream.length);
	}

	private static byte[] encode(List<Message> conversation, boolean masked, Random random) {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (Message message : conversation) {
			for (Frame frame : message.frames()) {
				if (masked) {
					byte[] key = new byte[4];
					random.nextBytes(key);
					stream.writeBytes(FrameEncoder.encode(frame, key));
				}
				else {
					stream.writeBytes(FrameEncoder.encode(frame));
				}
			}
		}
		return stream.toByteArray();
	}

	private static List<String> expectedEvents(List<Message> conversation) {
		List<String> events = new ArrayList<>();
		conversation.forEach((message) -> events.addAll(message.events()));
		return events;
	}

	private static byte[] header(int firstByte, long length) {
		ByteBuffer header = ByteBuffer.allocate(10).put((byte) firstByte);
		if (length <= 0xFFFF) {
			header.put((byte) 126).putShort((short) length);
		}
		else {
			header.put((byte) 127).putLong(length);
		}
		return Arrays.copyOf(header.array(), header.position());
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] result = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, result, first.length, second.length);
		return result;
	}

	@Provide
	Arbitrary<List<Message>> conversations() {
		return Arbitraries
			.frequencyOf(Tuple.of(4, textMessages()), Tuple.of(3, binaryMessages()), Tuple.of(1, largeBinaryMessages()),
					Tuple.of(1, controlMessages()))
			.list()
			.ofMaxSize(6);
	}

	@Provide
	Arbitrary<List<Integer>> chunkSizes() {
		Arbitrary<Integer> size = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(1, 16)),
				Tuple.of(2, Arbitraries.integers().between(1, 300)),
				Tuple.of(1, Arbitraries.integers().between(1, 70000)));
		return size.list().ofMaxSize(8);
	}

	@Provide
	Arbitrary<List<Mutation>> mutations() {
		Arbitrary<Mutation> mutation = Combinators
			.combine(Arbitraries.of(MutationKind.class), Arbitraries.integers().greaterOrEqual(0),
					Arbitraries.integers().between(0, 255))
			.as(Mutation::new);
		return mutation.list().ofMinSize(1).ofMaxSize(4);
	}

	@Provide
	Arbitrary<List<byte[]>> rawFrames() {
		Arbitrary<Integer> rsv = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0)),
				Tuple.of(1, Arbitraries.integers().between(1, 7)));
		Arbitrary<Integer> opcode = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(0, 1, 2, 8, 9, 10)),
				Tuple.of(1, Arbitraries.integers().between(0, 15)));
		Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
				Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(130)), Tuple.of(3, utf8(20)),
				Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)));
		Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofSize(4).injectNull(0.5);
		Arbitrary<byte[]> frame = Combinators.combine(Arbitraries.of(true, false), rsv, opcode, payload, key)
			.as(FrameEncoder::encode);
		return frame.list().ofMaxSize(8);
	}

	private Arbitrary<Message> textMessages() {
		return utf8(40).flatMap((bytes) -> fragmentations(bytes.length).map((fragmentation) -> new Message(Opcode.TEXT,
				bytes, "text:" + new String(bytes, StandardCharsets.UTF_8), fragmentation)));
	}

	private Arbitrary<Message> binaryMessages() {
		return Arbitraries.bytes()
			.array(byte[].class)
			.ofMaxSize(300)
			.flatMap((bytes) -> fragmentations(bytes.length).map((fragmentation) -> new Message(Opcode.BINARY, bytes,
					RecordingListener.binary(bytes), fragmentation)));
	}

	private Arbitrary<Message> largeBinaryMessages() {
		return Combinators.combine(Arbitraries.integers().between(65530, 65540), Arbitraries.longs())
			.as((length, seed) -> {
				byte[] bytes = new byte[length];
				new Random(seed).nextBytes(bytes);
				return bytes;
			})
			.flatMap((bytes) -> fragmentations(bytes.length).map((fragmentation) -> new Message(Opcode.BINARY, bytes,
					RecordingListener.binary(bytes), fragmentation)));
	}

	private Arbitrary<Message> controlMessages() {
		Arbitrary<Message> pings = controlPayloads().map((payload) -> Message.control(Frame.ping(payload)));
		Arbitrary<Message> pongs = controlPayloads().map((payload) -> Message.control(Frame.pong(payload)));
		Arbitrary<Message> closes = Combinators
			.combine(Arbitraries.of(1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999),
					codePoints().list().ofMaxSize(30))
			.as((code, reason) -> Message.control(Frame.close(code, string(reason))));
		return Arbitraries.oneOf(pings, pongs, closes, Arbitraries.just(Message.control(Frame.close())));
	}

	private Arbitrary<byte[]> controlPayloads() {
		return Arbitraries.bytes().array(byte[].class).ofMaxSize(Frame.MAX_CONTROL_PAYLOAD);
	}

	// Cut points in the payload, each followed by the control frames sent before the
	// next fragment
	private Arbitrary<Fragmentation> fragmentations(int length) {
		return Arbitraries.integers()
			.between(0, length)
			.list()
			.ofMaxSize(4)
			.map((cuts) -> cuts.stream().sorted().toList())
			.flatMap((cuts) -> controlMessages().list()
				.ofMaxSize(2)
				.list()
				.ofSize(cuts.size())
				.map((interleaved) -> new Fragmentation(cuts, interleaved)));
	}

	private Arbitrary<byte[]> utf8(int maxCodePoints) {
		return codePoints().list()
			.ofMaxSize(maxCodePoints)
			.map((codePoints) -> string(codePoints).getBytes(StandardCharsets.UTF_8));
	}

	private Arbitrary<Integer> codePoints() {
		return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
				Tuple.of(1, Arbitraries.integers().between(0, 0x7f)),
				Tuple.of(2, Arbitraries.integers().between(0x80, 0x7ff)),
				Tuple.of(2, Arbitraries.integers().between(0x800, 0xffff).filter((cp) -> cp < 0xd800 || cp > 0xdfff)),
				Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
	}

	private static String string(List<Integer> codePoints) {
		return new String(codePoints.stream().mapToInt(Integer::intValue).toArray(), 0, codePoints.size());
	}

	record Fragmentation(List<Integer> cuts, List<List<Message>> interleaved) {

		static final Fragmentation NONE = new Fragmentation(List.of(), List.of());

	}

	record Message(Opcode type, byte[] payload, String event, Fragmentation fragmentation) {

		static Message control(Frame frame) {
			RecordingListener listener = new RecordingListener();
			switch (frame.opcode()) {
				case PING -> listener.onPing(frame.payload());
				case PONG -> listener.onPong(frame.payload());
				default -> {
					byte[] body = frame.payload();
					int code = (body.length == 0) ? CloseCodes.NO_STATUS : ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
					String reason = (body.length == 0) ? ""
							: new String(body, 2, body.length - 2, StandardCharsets.UTF_8);
					listener.onClose(code, reason);
				}
			}
			return new Message(frame.opcode(), frame.payload(), listener.events().get(0), Fragmentation.NONE);
		}

		List<Frame> frames() {
			if (this.type.isControl()) {
				return List.of(new Frame(true, this.type, this.payload));
			}
			List<Frame> frames = new ArrayList<>();
			int start = 0;
			Opcode opcode = this.type;
			List<Integer> cuts = this.fragmentation.cuts();
			for (int i = 0; i < cuts.size(); i++) {
				frames.add(new Frame(false, opcode, Arrays.copyOfRange(this.payload, start, cuts.get(i))));
				this.fragmentation.interleaved().get(i).forEach((control) -> frames.addAll(control.frames()));
				opcode = Opcode.CONTINUATION;
				start = cuts.get(i);
			}
			frames.add(new Frame(true, opcode, Arrays.copyOfRange(this.payload, start, this.payload.length)));
			return frames;
		}

		List<String> events() {
			List<String> events = new ArrayList<>();
			this.fragmentation.interleaved().forEach((controls) -> controls.forEach((c) -> events.add(c.event())));
			events.add(this.event);
			return events;
		}

		@Override
		public String toString() {
			return this.type + "(" + this.payload.length + " bytes, cuts=" + this.fragmentation.cuts()
					+ ", interleaved=" + this.fragmentation.interleaved() + ")";
		}

	}

	enum MutationKind {

		FLIP_BIT, SET_BYTE, INSERT_BYTE, DELETE_BYTE, TRUNCATE

	}

	record Mutation(MutationKind kind, int position, int value) {

		byte[] applyTo(byte[] stream) {
			if (stream.length == 0) {
				return new byte[] { (byte) this.value };
			}
			int index = this.position % stream.length;
			byte[] result;
			switch (this.kind) {
				case FLIP_BIT -> {
					result = stream.clone();
					result[index] ^= (byte) (1 << (this.value & 7));
				}
				case SET_BYTE -> {
					result = stream.clone();
					result[index] = (byte) this.value;
				}
				case INSERT_BYTE -> {
					result = new byte[stream.length + 1];
					System.arraycopy(stream, 0, result, 0, index);
					result[index] = (byte) this.value;
					System.arraycopy(stream, index, result, index + 1, stream.length - index);
				}
				case DELETE_BYTE -> {
					result = new byte[stream.length - 1];
					System.arraycopy(stream, 0, result, 0, index);
					System.arraycopy(stream, index + 1, result, index, stream.length - index - 1);
				}
				default -> result = Arrays.copyOf(stream, index);
			}
			return result;
		}

	}

}
