package dev.websocketstarter.codec;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link FrameDecoder}: properties over generated input.
 * <p>
 * Each property runs a fixed number of tries, each generated from its own seed, which is
 * derived from {@link #BASE_SEED} and the test name, so every run checks the same inputs.
 * A failure names the try and its seed; set the system property {@value #SEED_PROPERTY}
 * to that seed to replay just that try.
 */
class FrameDecoderPropertyTests {

	private static final long BASE_SEED = 6455;

	private static final String SEED_PROPERTY = "codec.properties.seed";

	private static final long LARGE_LIMIT = 1 << 20;

	private static final int[] CLOSE_CODES = { 1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999 };

	private static final int[] DEFINED_OPCODES = { 0, 1, 2, 8, 9, 10 };

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void decodesEncodedMessagesInOrderWhateverTheChunking() {
		forAll(300, (sample) -> {
			List<Message> conversation = sample.draw("conversation", FrameDecoderPropertyTests::conversation);
			boolean masked = sample.draw("masked", SplittableRandom::nextBoolean);
			List<Integer> chunkSizes = sample.draw("chunkSizes", FrameDecoderPropertyTests::chunkSizes);
			boolean direct = sample.draw("direct", SplittableRandom::nextBoolean);
			byte[] stream = encode(conversation, masked, sample.random());
			RecordingListener listener = new RecordingListener();
			FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Settings(masked, LARGE_LIMIT));
			feed(decoder, stream, chunkSizes, direct, listener);
			assertThat(listener.events()).containsExactlyElementsOf(expectedEvents(conversation));
		});
	}

	@Test
	void mutatedStreamsYieldEventsOrProtocolErrorsOnly() {
		forAll(500, (sample) -> {
			List<Message> conversation = sample.draw("conversation", FrameDecoderPropertyTests::conversation);
			boolean masked = sample.draw("masked", SplittableRandom::nextBoolean);
			List<Mutation> mutations = sample.draw("mutations", FrameDecoderPropertyTests::mutations);
			List<Integer> chunkSizes = sample.draw("chunkSizes", FrameDecoderPropertyTests::chunkSizes);
			int maxMessageSize = sample.draw("maxMessageSize", (random) -> intBetween(random, 0, 2048));
			byte[] stream = encode(conversation, masked, sample.random());
			for (Mutation mutation : mutations) {
				stream = mutation.applyTo(stream);
			}
			assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, maxMessageSize), stream,
					chunkSizes);
		});
	}

	@Test
	void arbitraryFramesYieldEventsOrProtocolErrorsOnly() {
		forAll(500, (sample) -> {
			List<byte[]> frames = sample.draw("frames", FrameDecoderPropertyTests::rawFrames);
			boolean masked = sample.draw("masked", SplittableRandom::nextBoolean);
			List<Integer> chunkSizes = sample.draw("chunkSizes", FrameDecoderPropertyTests::chunkSizes);
			int maxMessageSize = sample.draw("maxMessageSize", (random) -> intBetween(random, 0, 300));
			ByteArrayOutputStream stream = new ByteArrayOutputStream();
			frames.forEach(stream::writeBytes);
			assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, maxMessageSize),
					stream.toByteArray(), chunkSizes);
		});
	}

	@Test
	void arbitraryBytesYieldEventsOrProtocolErrorsOnly() {
		forAll(200, (sample) -> {
			byte[] noise = sample.draw("noise", (random) -> bytes(random, 500));
			boolean masked = sample.draw("masked", SplittableRandom::nextBoolean);
			List<Integer> chunkSizes = sample.draw("chunkSizes", FrameDecoderPropertyTests::chunkSizes);
			assertDecodesOrFailsWithProtocolError(new FrameDecoder.Settings(masked, 256), noise, chunkSizes);
		});
	}

	@Test
	void declaredLengthAboveLimitFailsBeforeAnyPayloadArrives() {
		forAll(200, (sample) -> {
			long maxMessageSize = sample.draw("maxMessageSize", (random) -> longBetween(random, 0, 1 << 20));
			long excess = sample.draw("excess", (random) -> longBetween(random, 1, Long.MAX_VALUE));
			boolean text = sample.draw("text", SplittableRandom::nextBoolean);
			long declared = (excess > Long.MAX_VALUE - maxMessageSize) ? Long.MAX_VALUE : maxMessageSize + excess;
			byte[] header = header(text ? 0x81 : 0x82, declared);
			FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(maxMessageSize));
			assertThatExceptionOfType(WebSocketProtocolException.class)
				.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(header), new RecordingListener()))
				.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
		});
	}

	@Test
	void allocationFollowsReceivedBytesNotDeclaredLength() {
		assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
		forAll(100, (sample) -> {
			long declared = sample.draw("declared", (random) -> longBetween(random, 1 << 16, Integer.MAX_VALUE - 8));
			byte[] received = sample.draw("received", (random) -> bytes(random, 200));
			byte[] input = concat(header(0x82, declared), received);
			FrameDecoder decoder = new FrameDecoder(FrameDecoder.Settings.forClient(Long.MAX_VALUE));
			long threadId = Thread.currentThread().getId();
			long before = threads.getThreadAllocatedBytes(threadId);
			decoder.decode(ByteBuffer.wrap(input), new RecordingListener());
			assertThat(threads.getThreadAllocatedBytes(threadId) - before).isLessThan(64 * 1024);
		});
	}

	/**
	 * Check a property on the given number of generated samples, or only on the sample of
	 * the seed in the {@value #SEED_PROPERTY} system property if set. A failure is
	 * reported with its try number, seed and sample.
	 * @param tries the number of samples to try
	 * @param property draws a sample and asserts on it
	 */
	private static void forAll(int tries, Consumer<Sample> property) {
		String name = StackWalker.getInstance()
			.walk((frames) -> frames.skip(1).findFirst().orElseThrow().getMethodName());
		String replay = System.getProperty(SEED_PROPERTY);
		SplittableRandom seeds = new SplittableRandom(BASE_SEED + name.hashCode());
		long[] trySeeds = (replay != null) ? new long[] { Long.parseLong(replay.strip()) }
				: seeds.longs(tries).toArray();
		for (int i = 0; i < trySeeds.length; i++) {
			Sample sample = new Sample(trySeeds[i]);
			try {
				property.accept(sample);
			}
			catch (AssertionError | RuntimeException ex) {
				fail("%s failed on try %d of %d with seed %d; replay it with -Dtest='%s#%s' -D%s=%d%nSample: %s"
					.formatted(name, i + 1, trySeeds.length, trySeeds[i],
							FrameDecoderPropertyTests.class.getSimpleName(), name, SEED_PROPERTY, trySeeds[i], sample),
						ex);
			}
		}
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
			FrameListener listener) {
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

	private static byte[] encode(List<Message> conversation, boolean masked, SplittableRandom random) {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (Message message : conversation) {
			for (Frame frame : message.frames()) {
				if (masked) {
					stream.writeBytes(FrameEncoder.encode(frame, randomBytes(random, 4)));
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

	private static List<Message> conversation(SplittableRandom random) {
		return listOf(random, 0, 6, (r) -> switch (weighted(r, 4, 3, 1, 1)) {
			case 0 -> textMessage(r);
			case 1 -> binaryMessage(r, bytes(r, 300));
			// Either side of the 65535 bytes that switch to a 64-bit length
			case 2 -> binaryMessage(r, randomBytes(r, intBetween(r, 65530, 65540)));
			default -> controlMessage(r);
		});
	}

	private static List<Integer> chunkSizes(SplittableRandom random) {
		return listOf(random, 0, 8, (r) -> switch (weighted(r, 4, 2, 1)) {
			case 0 -> intBetween(r, 1, 16);
			case 1 -> intBetween(r, 1, 300);
			default -> intBetween(r, 1, 70000);
		});
	}

	private static List<Mutation> mutations(SplittableRandom random) {
		return listOf(random, 1, 4, (r) -> {
			MutationKind kind = MutationKind.values()[r.nextInt(MutationKind.values().length)];
			// Taken modulo the stream length, so small positions favour the first headers
			int position = switch (r.nextInt(4)) {
				case 0 -> intBetween(r, 0, 15);
				case 1 -> intBetween(r, 0, 299);
				default -> intBetween(r, 0, Integer.MAX_VALUE);
			};
			return new Mutation(kind, position, r.nextInt(256));
		});
	}

	private static List<byte[]> rawFrames(SplittableRandom random) {
		return listOf(random, 0, 8, (r) -> {
			boolean fin = r.nextBoolean();
			int rsv = (weighted(r, 8, 1) == 0) ? 0 : intBetween(r, 1, 7);
			int opcode = (weighted(r, 8, 1) == 0) ? DEFINED_OPCODES[r.nextInt(DEFINED_OPCODES.length)]
					: intBetween(r, 0, 15);
			byte[] payload = switch (weighted(r, 3, 3, 1)) {
				case 0 -> bytes(r, 130);
				case 1 -> utf8(r, 20);
				default -> bytes(r, 400);
			};
			byte[] maskKey = r.nextBoolean() ? randomBytes(r, 4) : null;
			return FrameEncoder.encode(fin, rsv, opcode, payload, maskKey);
		});
	}

	private static Message textMessage(SplittableRandom random) {
		byte[] bytes = utf8(random, 40);
		return new Message(Opcode.TEXT, bytes, "text:" + new String(bytes, StandardCharsets.UTF_8),
				fragmentation(random, bytes.length));
	}

	private static Message binaryMessage(SplittableRandom random, byte[] bytes) {
		return new Message(Opcode.BINARY, bytes, RecordingListener.binary(bytes), fragmentation(random, bytes.length));
	}

	private static Message controlMessage(SplittableRandom random) {
		return Message.control(switch (random.nextInt(4)) {
			case 0 -> Frame.ping(bytes(random, Frame.MAX_CONTROL_PAYLOAD));
			case 1 -> Frame.pong(bytes(random, Frame.MAX_CONTROL_PAYLOAD));
			case 2 -> Frame.close(CLOSE_CODES[random.nextInt(CLOSE_CODES.length)], string(random, 30));
			default -> Frame.close();
		});
	}

	// Cut points in the payload, each followed by the control frames sent before the
	// next fragment. Repeated cuts and cuts at either end make empty fragments
	private static Fragmentation fragmentation(SplittableRandom random, int length) {
		List<Integer> cuts = new ArrayList<>();
		int count = intBetween(random, 0, 4);
		for (int i = 0; i < count; i++) {
			boolean repeat = !cuts.isEmpty() && random.nextInt(6) == 0;
			cuts.add(repeat ? cuts.get(random.nextInt(cuts.size())) : intBetween(random, 0, length));
		}
		cuts.sort(null);
		List<List<Message>> interleaved = new ArrayList<>();
		for (int i = 0; i < cuts.size(); i++) {
			interleaved.add(listOf(random, 0, 2, FrameDecoderPropertyTests::controlMessage));
		}
		return new Fragmentation(List.copyOf(cuts), interleaved);
	}

	private static byte[] utf8(SplittableRandom random, int maxCodePoints) {
		return string(random, maxCodePoints).getBytes(StandardCharsets.UTF_8);
	}

	private static String string(SplittableRandom random, int maxCodePoints) {
		int[] codePoints = new int[intBetween(random, 0, maxCodePoints)];
		for (int i = 0; i < codePoints.length; i++) {
			codePoints[i] = codePoint(random);
		}
		return new String(codePoints, 0, codePoints.length);
	}

	// Mostly printable ASCII, and as often 2-, 3- and 4-byte UTF-8 sequences
	private static int codePoint(SplittableRandom random) {
		return switch (weighted(random, 4, 1, 2, 2, 2)) {
			case 0 -> intBetween(random, 0x20, 0x7e);
			case 1 -> intBetween(random, 0, 0x7f);
			case 2 -> intBetween(random, 0x80, 0x7ff);
			case 3 -> {
				int codePoint = intBetween(random, 0x800, 0xffff - 0x800);
				yield (codePoint < 0xd800) ? codePoint : codePoint + 0x800;
			}
			default -> intBetween(random, 0x10000, 0x10ffff);
		};
	}

	private static <T> List<T> listOf(SplittableRandom random, int minSize, int maxSize,
			Function<SplittableRandom, T> element) {
		int size = intBetween(random, minSize, maxSize);
		List<T> list = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			list.add(element.apply(random));
		}
		return list;
	}

	private static byte[] bytes(SplittableRandom random, int maxLength) {
		return randomBytes(random, intBetween(random, 0, maxLength));
	}

	private static byte[] randomBytes(SplittableRandom random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static int weighted(SplittableRandom random, int... weights) {
		int draw = random.nextInt(Arrays.stream(weights).sum());
		int choice = 0;
		while (draw >= weights[choice]) {
			draw -= weights[choice++];
		}
		return choice;
	}

	private static int intBetween(SplittableRandom random, int min, int max) {
		return (int) longBetween(random, min, max);
	}

	// Mostly uniform, but a bound one time in 16 and, over wide ranges, a value whose
	// distance from the lower bound has a uniformly chosen number of bits one time in 3,
	// so that small values and every order of magnitude come often
	private static long longBetween(SplittableRandom random, long min, long max) {
		long span = max - min;
		int draw = random.nextInt(32);
		if (draw == 0) {
			return min;
		}
		if (draw == 1) {
			return max;
		}
		if (draw < 12 && span >= 64) {
			int bits = random.nextInt(65 - Long.numberOfLeadingZeros(span));
			long offset = (bits != 0) ? random.nextLong() >>> (64 - bits) : 0;
			return min + ((offset <= span) ? offset : offset - span - 1);
		}
		return (max != Long.MAX_VALUE) ? random.nextLong(min, max + 1) : random.nextLong(min - 1, max) + 1;
	}

	/**
	 * The random source of one try, recording each named value drawn from it so that a
	 * failure can show them.
	 */
	private static final class Sample {

		private final SplittableRandom random;

		private final Map<String, Object> values = new LinkedHashMap<>();

		Sample(long seed) {
			this.random = new SplittableRandom(seed);
		}

		SplittableRandom random() {
			return this.random;
		}

		<T> T draw(String name, Function<SplittableRandom, T> generator) {
			T value = generator.apply(this.random);
			this.values.put(name, value);
			return value;
		}

		@Override
		public String toString() {
			return this.values.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + describe(entry.getValue()))
				.collect(Collectors.joining(", "));
		}

		private static String describe(Object value) {
			if (value instanceof byte[] bytes) {
				return (bytes.length <= 32) ? "0x" + HEX.formatHex(bytes) : "byte[" + bytes.length + "]";
			}
			if (value instanceof List<?> list) {
				return list.stream().map(Sample::describe).collect(Collectors.joining(", ", "[", "]"));
			}
			return String.valueOf(value);
		}

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
