package dev.websocketstarter.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.codec.FrameEncoder;
import dev.websocketstarter.codec.Opcode;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RawClient;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the starter's conformance to RFC 6455 on the wire, in the categories of the
 * Autobahn TestSuite, with frames crafted by the starter's codec and sent over raw
 * sockets. Every case ends with a fresh client getting its echo and with no channel left
 * in the registry.
 */
@SpringBootTest(classes = MirrorApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.mirror.urls=/ws/mirror",
				"websocket.apps.mirror.max-message-size=" + ProtocolConformanceTests.MAX_MESSAGE_SIZE + "B" })
@ExtendWith(CaseCounter.class)
class ProtocolConformanceTests {

	static final int MAX_MESSAGE_SIZE = 128 * 1024;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final SecureRandom random = new SecureRandom();

	@LocalServerPort
	private int port;

	@Autowired
	private LocalNode node;

	private final List<RawClient> clients = new ArrayList<>();

	@AfterEach
	void serverStillServesAndHoldsNoChannel() throws Exception {
		for (RawClient client : this.clients) {
			client.close();
		}
		try (RawClient fresh = connect()) {
			fresh.send(Frame.text("still serving"));
			waiting().untilAsserted(() -> assertThat(fresh.texts()).containsExactly("still serving"));
		}
		waiting().untilAsserted(() -> assertThat(this.node.channelCount()).isZero());
	}

	// Framing

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 125, 126, 127, 128, 65535, 65536, 65537 })
	@Category("Framing")
	void textOfEveryEdgeLengthIsEchoedWhole(int length) throws Exception {
		String text = ascii(length);
		RawClient client = track(connect());
		client.send(Frame.text(text));
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly(text));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 125, 126, 127, 128, 65535, 65536, 65537 })
	@Category("Framing")
	void binaryOfEveryEdgeLengthIsEchoedWhole(int length) throws Exception {
		byte[] data = randomBytes(length);
		RawClient client = track(connect());
		client.send(Frame.binary(data));
		waiting().untilAsserted(() -> assertThat(client.binaries()).singleElement().isEqualTo(data));
	}

	static Stream<Arguments> bytewiseStreams() {
		return Stream.of(named("empty text", List.of(Frame.text("")), List.of("")),
				named("125-byte text", List.of(Frame.text(ascii(125))), List.of(ascii(125))),
				named("126-byte text, 16-bit length", List.of(Frame.text(ascii(126))), List.of(ascii(126))),
				named("65536-byte text, 64-bit length", List.of(Frame.text(ascii(65536))), List.of(ascii(65536))),
				named("fragmented text with a ping between fragments",
						List.of(new Frame(false, Opcode.TEXT, utf8("frag")), Frame.ping(utf8("p")),
								Frame.continuation(utf8("mented"), true)),
						List.of("fragmented")),
				named("three texts", List.of(Frame.text("one"), Frame.text("two"), Frame.text("three")),
						List.of("one", "two", "three")));
	}

	@ParameterizedTest
	@MethodSource("bytewiseStreams")
	@Category("Framing")
	void framesWrittenOneBytePerTcpWriteAreEchoed(List<Frame> frames, List<String> expected) throws Exception {
		RawClient client = track(connect());
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		frames.forEach((frame) -> stream.writeBytes(RawClient.masked(frame)));
		client.writeOneBytePerWrite(stream.toByteArray());
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactlyElementsOf(expected));
	}

	@ParameterizedTest
	@ValueSource(ints = { 2, 10, 100, 1000 })
	@Category("Framing")
	void manyFramesInOneTcpWriteAreEchoedInOrder(int count) throws Exception {
		RawClient client = track(connect());
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String text = "message " + i;
			expected.add(text);
			stream.writeBytes(RawClient.masked(Frame.text(text)));
			if (i % 10 == 9) {
				stream.writeBytes(RawClient.masked(Frame.ping(utf8("ping " + i))));
			}
		}
		client.write(stream.toByteArray());
		// Pongs are answered as frames are read, echoes come from the writer: either may
		// arrive first
		waiting().untilAsserted(() -> {
			assertThat(client.texts()).containsExactlyElementsOf(expected);
			assertThat(client.pongs()).hasSize(count / 10);
		});
	}

	// Ping and pong

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 64, 125 })
	@Category("Ping and pong")
	void pingIsAnsweredWithAPongCarryingItsPayload(int length) throws Exception {
		byte[] payload = randomBytes(length);
		RawClient client = track(connect());
		client.send(Frame.ping(payload));
		waiting().untilAsserted(() -> assertThat(client.pongs()).singleElement().isEqualTo(payload));
		assertThat(client.closeCode()).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 125 })
	@Category("Ping and pong")
	void unsolicitedPongIsIgnored(int length) throws Exception {
		RawClient client = track(connect());
		client.send(Frame.pong(randomBytes(length)));
		client.send(Frame.text("after pong"));
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly("after pong"));
		assertThat(client.closeCode()).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0x8, 0x9, 0xA })
	@Category("Ping and pong")
	void controlFrameOver125BytesClosesWith1002(int opcode) throws Exception {
		byte[] payload = randomBytes(126);
		if (opcode == Opcode.CLOSE.code()) {
			payload[0] = 0x03;
			payload[1] = (byte) 0xE8;
			Arrays.fill(payload, 2, payload.length, (byte) 'x');
		}
		assertClosedWith(frame(true, 0, opcode, payload), 1002);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0x8, 0x9, 0xA })
	@Category("Ping and pong")
	void fragmentedControlFrameClosesWith1002(int opcode) throws Exception {
		byte[] payload = (opcode == Opcode.CLOSE.code()) ? new byte[] { 0x03, (byte) 0xE8 } : utf8("fragment");
		assertClosedWith(concat(frame(false, 0, opcode, payload), frame(true, 0, Opcode.CONTINUATION.code(), payload)),
				1002);
	}

	// Reserved bits and opcodes

	static Stream<Arguments> reservedBits() {
		Stream<Arguments> onText = IntStream.rangeClosed(1, 7).mapToObj((rsv) -> Arguments.of(rsv, Opcode.TEXT));
		return Stream.concat(onText, Stream.of(Arguments.of(4, Opcode.BINARY), Arguments.of(2, Opcode.PING),
				Arguments.of(1, Opcode.PONG), Arguments.of(4, Opcode.CLOSE)));
	}

	@ParameterizedTest(name = "RSV {0} on {1}")
	@MethodSource("reservedBits")
	@Category("Reserved bits and opcodes")
	void reservedBitsCloseWith1002(int rsv, Opcode opcode) throws Exception {
		byte[] payload = (opcode == Opcode.CLOSE) ? new byte[] { 0x03, (byte) 0xE8 } : utf8("reserved");
		assertClosedWith(frame(true, rsv, opcode.code(), payload), 1002);
	}

	@ParameterizedTest
	@ValueSource(ints = { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
	@Category("Reserved bits and opcodes")
	void reservedOpcodeClosesWith1002(int opcode) throws Exception {
		assertClosedWith(frame(true, 0, opcode, utf8("reserved")), 1002);
	}

	// Fragmentation

	static Stream<Arguments> fragmentedTexts() {
		List<Frame> oneByteFragments = new ArrayList<>();
		String hundred = ascii(100);
		for (int i = 0; i < 100; i++) {
			oneByteFragments.add(new Frame(i == 99, (i == 0) ? Opcode.TEXT : Opcode.CONTINUATION,
					new byte[] { (byte) hundred.charAt(i) }));
		}
		return Stream.of(
				named("two fragments",
						List.of(new Frame(false, Opcode.TEXT, utf8("Hello, ")),
								Frame.continuation(utf8("world"), true)),
						"Hello, world"),
				named("100 one-byte fragments", oneByteFragments, hundred),
				named("pong between fragments",
						List.of(new Frame(false, Opcode.TEXT, utf8("a")), Frame.pong(utf8("p")),
								Frame.continuation(utf8("b"), true)),
						"ab"),
				named("empty first fragment",
						List.of(new Frame(false, Opcode.TEXT, new byte[0]), Frame.continuation(utf8("x"), true)), "x"),
				named("empty middle fragment",
						List.of(new Frame(false, Opcode.TEXT, utf8("x")), Frame.continuation(new byte[0], false),
								Frame.continuation(utf8("y"), true)),
						"xy"),
				named("empty last fragment",
						List.of(new Frame(false, Opcode.TEXT, utf8("x")), Frame.continuation(new byte[0], true)), "x"),
				named("only empty fragments", List.of(new Frame(false, Opcode.TEXT, new byte[0]),
						Frame.continuation(new byte[0], false), Frame.continuation(new byte[0], true)), ""));
	}

	@ParameterizedTest
	@MethodSource("fragmentedTexts")
	@Category("Fragmentation")
	void fragmentedTextIsEchoedWhole(List<Frame> frames, String expected) throws Exception {
		RawClient client = track(connect());
		for (Frame frame : frames) {
			client.send(frame);
		}
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly(expected));
	}

	static Stream<Arguments> fragmentedBinaries() {
		byte[] data = randomBytes(3000);
		return Stream.of(
				named("three fragments",
						List.of(new Frame(false, Opcode.BINARY, Arrays.copyOfRange(data, 0, 1000)),
								Frame.continuation(Arrays.copyOfRange(data, 1000, 2000), false),
								Frame.continuation(Arrays.copyOfRange(data, 2000, 3000), true)),
						data),
				named("ping between fragments",
						List.of(new Frame(false, Opcode.BINARY, Arrays.copyOfRange(data, 0, 10)), Frame.ping(utf8("p")),
								Frame.continuation(Arrays.copyOfRange(data, 10, 3000), true)),
						data),
				named("empty fragments around data",
						List.of(new Frame(false, Opcode.BINARY, new byte[0]), Frame.continuation(data, false),
								Frame.continuation(new byte[0], true)),
						data),
				named("only empty fragments",
						List.of(new Frame(false, Opcode.BINARY, new byte[0]), Frame.continuation(new byte[0], true)),
						new byte[0]));
	}

	@ParameterizedTest
	@MethodSource("fragmentedBinaries")
	@Category("Fragmentation")
	void fragmentedBinaryIsEchoedWhole(List<Frame> frames, byte[] expected) throws Exception {
		RawClient client = track(connect());
		for (Frame frame : frames) {
			client.send(frame);
		}
		waiting().untilAsserted(() -> assertThat(client.binaries()).singleElement().isEqualTo(expected));
	}

	static Stream<Arguments> continuationsWithoutStart() {
		return Stream.of(named("lone final continuation", frame(true, 0, 0, utf8("x"))),
				named("lone continuation", frame(false, 0, 0, utf8("x"))),
				named("continuation after a whole text",
						concat(frame(true, 0, 1, utf8("x")), frame(true, 0, 0, utf8("y")))),
				named("continuation after a whole binary",
						concat(frame(true, 0, 2, utf8("x")), frame(true, 0, 0, utf8("y")))));
	}

	/**
	 * The cases with a whole message first also race the echo of that message: see
	 * {@link #connectionFailedWhileAnEchoIsWrittenStillGetsACloseFrame}.
	 */
	@ParameterizedTest
	@MethodSource("continuationsWithoutStart")
	@Category("Fragmentation")
	void continuationWithoutAStartClosesWith1002(byte[] bytes) throws Exception {
		assertClosedWith(bytes, 1002);
	}

	static Stream<Arguments> interruptedMessages() {
		return Stream.of(named("text, then text", concat(frame(false, 0, 1, utf8("a")), frame(true, 0, 1, utf8("b")))),
				named("text, then binary", concat(frame(false, 0, 1, utf8("a")), frame(true, 0, 2, utf8("b")))),
				named("binary, then text", concat(frame(false, 0, 2, utf8("a")), frame(true, 0, 1, utf8("b")))),
				named("binary, then binary", concat(frame(false, 0, 2, utf8("a")), frame(true, 0, 2, utf8("b")))),
				named("text, ping, then text", concat(frame(false, 0, 1, utf8("a")), frame(true, 0, 9, utf8("p")),
						frame(false, 0, 1, utf8("b")))));
	}

	@ParameterizedTest
	@MethodSource("interruptedMessages")
	@Category("Fragmentation")
	void newMessageBeforeTheLastEndedClosesWith1002(byte[] bytes) throws Exception {
		assertClosedWith(bytes, 1002);
	}

	static Stream<Arguments> violationsAfterAnEchoedMessage() {
		return Stream.of(named("continuation without start", frame(true, 0, 0, utf8("y")), 1002),
				named("reserved bits", frame(true, 4, 1, utf8("y")), 1002),
				named("invalid UTF-8", frame(true, 0, 1, bytes(0xFF)), 1007));
	}

	/**
	 * Found by this suite: when Tomcat failed a connection (1002, 1007) while the
	 * starter's writer had Tomcat's batching mode on for the echo, Tomcat's own close
	 * frame went into the batch buffer and was lost when Tomcat closed the socket (the
	 * client saw a FIN and no close frame, against RFC 6455 section 7.1.7). The writer
	 * now batches only when several messages wait, so a lone message is written directly.
	 * Each case makes 200 attempts so that a regression fails reliably.
	 */
	@ParameterizedTest
	@MethodSource("violationsAfterAnEchoedMessage")
	@Category("Failing while writing")
	void connectionFailedWhileAnEchoIsWrittenStillGetsACloseFrame(byte[] violation, int code) throws Exception {
		for (int attempt = 1; attempt <= 200; attempt++) {
			try (RawClient client = connect()) {
				client.write(concat(frame(true, 0, 1, utf8("x")), violation));
				waiting().until(() -> client.closeCode() != null || client.isEndOfStream());
				assertThat(client.closeCode()).as("close code in attempt %d", attempt).isEqualTo(code);
			}
		}
	}

	// UTF-8

	static Stream<Arguments> invalidUtf8() {
		return Stream.of(named("lone continuation byte", bytes(0x80)),
				named("overlong '/' in 2 bytes", bytes(0xC0, 0xAF)),
				named("overlong '/' in 3 bytes", bytes(0xE0, 0x80, 0xAF)),
				named("overlong '/' in 4 bytes", bytes(0xF0, 0x80, 0x80, 0xAF)),
				named("UTF-16 surrogate U+D800", bytes(0xED, 0xA0, 0x80)),
				named("above U+10FFFF", bytes(0xF4, 0x90, 0x80, 0x80)), named("byte 0xFE", bytes('a', 0xFE)),
				named("byte 0xFF", bytes('a', 0xFF)), named("truncated at the end", bytes('a', 0xE2, 0x82)),
				named("bad continuation", bytes(0xC3, 0x28)),
				named("five-byte sequence", bytes(0xF8, 0x88, 0x80, 0x80, 0x80)));
	}

	@ParameterizedTest
	@MethodSource("invalidUtf8")
	@Category("UTF-8")
	void invalidUtf8InATextMessageClosesWith1007(byte[] payload) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.TEXT.code(), payload), 1007);
	}

	static Stream<Arguments> invalidUtf8AcrossFragments() {
		return Stream.of(
				named("bad continuation in the next fragment",
						concat(frame(false, 0, 1, bytes('a', 0xE2, 0x82)), frame(true, 0, 0, bytes(0x28, 'b')))),
				named("truncated at the end of the last fragment",
						concat(frame(false, 0, 1, bytes('a', 0xF0, 0x9F)), frame(true, 0, 0, bytes(0x98)))),
				named("invalid byte in a later fragment",
						concat(frame(false, 0, 1, utf8("hello")), frame(true, 0, 0, bytes(0xFF)))),
				named("surrogate split across fragments",
						concat(frame(false, 0, 1, bytes(0xED)), frame(true, 0, 0, bytes(0xA0, 0x80)))));
	}

	@ParameterizedTest
	@MethodSource("invalidUtf8AcrossFragments")
	@Category("UTF-8")
	void invalidUtf8SplitAcrossFragmentsClosesWith1007(byte[] bytes) throws Exception {
		assertClosedWith(bytes, 1007);
	}

	static Stream<Arguments> validUtf8Splits() {
		return Stream.of(Arguments.of("a\uD83D\uDE00b", 2), Arguments.of("a\uD83D\uDE00b", 3),
				Arguments.of("a\uD83D\uDE00b", 4), Arguments.of("\u00E9", 1), Arguments.of("\u20AC", 1),
				Arguments.of("\u20AC", 2));
	}

	@ParameterizedTest(name = "\"{0}\" split after byte {1}")
	@MethodSource("validUtf8Splits")
	@Category("UTF-8")
	void validUtf8SplitAcrossFragmentsIsEchoedWhole(String text, int split) throws Exception {
		byte[] encoded = utf8(text);
		RawClient client = track(connect());
		client.send(new Frame(false, Opcode.TEXT, Arrays.copyOfRange(encoded, 0, split)));
		client.send(Frame.continuation(Arrays.copyOfRange(encoded, split, encoded.length), true));
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uD834\uDD1E", "\uD83D\uDE00", "\uD800\uDC00", "\uDBFF\uDFFF",
			"a\uD83D\uDE00b\uD834\uDD1Ec\u20AC\u00E9" })
	@Category("UTF-8")
	void validFourByteCharactersAreEchoed(String text) throws Exception {
		RawClient client = track(connect());
		client.send(Frame.text(text));
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly(text));
	}

	// Close handling

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 })
	@Category("Close handling")
	void closeIsEchoedWithItsCodeAndTheServerEndsTheConnection(int code) throws Exception {
		RawClient client = track(connect());
		client.send(Frame.close(code, "bye"));
		waiting().until(() -> client.closeCode() != null);
		assertThat(client.closeCode()).isEqualTo(code);
		waiting().until(client::isEndOfStream);
	}

	/**
	 * 1012-1014 were registered with IANA after RFC 6455; Autobahn still lists them as
	 * invalid. The starter's transport takes them as the registry does. (Tomcat 11.0.27's
	 * WebSocket layer answers them with 1002.)
	 */
	@ParameterizedTest
	@ValueSource(ints = { 1012, 1013, 1014 })
	@Category("Close handling")
	void closeWithACodeRegisteredAfterTheRfcIsEchoed(int code) throws Exception {
		RawClient client = track(connect());
		client.send(Frame.close(code, "bye"));
		waiting().until(() -> client.closeCode() != null);
		assertThat(client.closeCode()).isEqualTo(code);
		waiting().until(client::isEndOfStream);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 })
	@Category("Close handling")
	void invalidCloseCodeIsRefusedWith1002(int code) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), bytes(code >>> 8, code & 0xFF)), 1002);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0x03, 0xE8 })
	@Category("Close handling")
	void closeWithAOneBytePayloadIsRefusedWith1002(int onlyByte) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), bytes(onlyByte)), 1002);
	}

	static Stream<Arguments> invalidCloseReasons() {
		return Stream.of(named("byte 0xFF", bytes(0x03, 0xE8, 'a', 0xFF)),
				named("truncated sequence", bytes(0x03, 0xE8, 'a', 0xE2, 0x82)),
				named("UTF-16 surrogate", bytes(0x03, 0xE8, 0xED, 0xA0, 0x80)));
	}

	/**
	 * RFC 6455 section 8.1 requires failing the connection; the starter's transport does
	 * so with 1007. Tomcat's layer fails it with 1002 before the starter sees the frame
	 * (see {@link ContainerProtocolConformanceTests}).
	 */
	@ParameterizedTest
	@MethodSource("invalidCloseReasons")
	@Category("Close handling")
	void closeReasonThatIsNotUtf8FailsTheConnection(byte[] payload) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), payload), 1007);
	}

	@Test
	@Category("Close handling")
	void closeWithoutABodyIsAnsweredAndTheServerEndsTheConnection() throws Exception {
		RawClient client = track(connect());
		client.send(Frame.close());
		waiting().until(client::isEndOfStream);
		// Answered with a close frame without a body too: there is no code to echo
		assertThat(client.closeCode()).as("close code (read failure: %s)", client.readFailure()).isEqualTo(1005);
	}

	@Test
	@Category("Close handling")
	void dataAfterTheCloseFrameIsIgnored() throws Exception {
		RawClient client = track(connect());
		client.write(concat(frame(true, 0, Opcode.CLOSE.code(), bytes(0x03, 0xE8)), frame(true, 0, 1, utf8("late"))));
		waiting().until(client::isEndOfStream);
		assertThat(client.closeCode()).isEqualTo(1000);
		assertThat(client.texts()).isEmpty();
	}

	// Limits

	static Stream<Arguments> messagesOverTheLimit() {
		int over = MAX_MESSAGE_SIZE + 1;
		int half = MAX_MESSAGE_SIZE / 2 + 1;
		ByteArrayOutputStream smallFragments = new ByteArrayOutputStream();
		for (int i = 0; i < 129; i++) {
			smallFragments.writeBytes(frame(i == 128, 0, (i == 0) ? 1 : 0, utf8(ascii(1024))));
		}
		return Stream.of(named("one text frame", frame(true, 0, 1, utf8(ascii(over)))),
				named("one binary frame", frame(true, 0, 2, randomBytes(over))),
				named("text in two fragments",
						concat(frame(false, 0, 1, utf8(ascii(half))), frame(true, 0, 0, utf8(ascii(half))))),
				named("binary in two fragments",
						concat(frame(false, 0, 2, randomBytes(half)), frame(true, 0, 0, randomBytes(half)))),
				named("text in 129 fragments of 1KB", smallFragments.toByteArray()));
	}

	@ParameterizedTest
	@MethodSource("messagesOverTheLimit")
	@Category("Limits")
	void messageOverMaxMessageSizeClosesWith1009(byte[] bytes) throws Exception {
		assertClosedWith(bytes, 1009);
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	@Category("Limits")
	void messageOfExactlyMaxMessageSizeIsEchoed(boolean fragmented) throws Exception {
		String text = ascii(MAX_MESSAGE_SIZE);
		RawClient client = track(connect());
		if (fragmented) {
			client.send(new Frame(false, Opcode.TEXT, utf8(text.substring(0, 1000))));
			client.send(Frame.continuation(utf8(text.substring(1000)), true));
		}
		else {
			client.send(Frame.text(text));
		}
		waiting().untilAsserted(() -> assertThat(client.texts()).containsExactly(text));
	}

	private RawClient connect() throws IOException {
		RawClient client = RawClient.handshake(this.port, "/ws/mirror");
		assertThat(client.status()).isEqualTo(101);
		return client.startReading(true);
	}

	private RawClient track(RawClient client) {
		this.clients.add(client);
		return client;
	}

	/**
	 * Send the bytes in one write and expect the server to fail the connection: a close
	 * frame with the code, then the end of the TCP connection once the close is answered.
	 */
	void assertClosedWith(byte[] bytes, int code) throws Exception {
		RawClient client = track(connect());
		client.write(bytes);
		waiting().until(() -> client.closeCode() != null || client.isEndOfStream());
		assertThat(client.closeCode()).as("close code (read failure: %s)", client.readFailure()).isEqualTo(code);
		if ((bytes[0] & 0xFF) == 0x81) {
			// A whole text message ahead of the violation is served first: its echo may
			// beat the close frame
			assertThat(client.texts()).isSubsetOf("x");
		}
		else {
			assertThat(client.texts()).isEmpty();
		}
		try {
			client.send(Frame.close(1000, ""));
		}
		catch (IOException ex) {
			// The server may have ended the connection already
		}
		waiting().until(client::isEndOfStream);
	}

	private static ConditionFactory waiting() {
		return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

	static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		return FrameEncoder.encode(fin, rsv, opcode, payload, mask);
	}

	private static Arguments named(String name, Object... values) {
		Object[] arguments = values.clone();
		arguments[0] = Named.of(name, values[0]);
		return Arguments.of(arguments);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			stream.writeBytes(part);
		}
		return stream.toByteArray();
	}

	static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String ascii(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) ('a' + (i % 26)));
		}
		return text.toString();
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

}
