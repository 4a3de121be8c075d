package dev.websocketstarter.reliability;

import dev.websocketstarter.codec.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.test.context.TestPropertySource;

/**
 * The tests of {@link ProtocolConformanceTests} on Tomcat's WebSocket layer
 * ({@code websocket.transport=container}). Tomcat 11.0.27 reads close frames itself,
 * before the starter sees them, and answers three kinds as the cases below say; each
 * answer still fails or closes the connection as RFC 6455 requires.
 */
@TestPropertySource(properties = "websocket.transport=container")
class ContainerProtocolConformanceTests extends ProtocolConformanceTests {

	/**
	 * Tomcat checks close codes against the list of RFC 6455, from before 1012-1014 were
	 * registered, and fails the connection with 1002.
	 */
	@Override
	@ParameterizedTest
	@ValueSource(ints = { 1012, 1013, 1014 })
	@Category("Close handling")
	void closeWithACodeRegisteredAfterTheRfcIsEchoed(int code) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), bytes(code >>> 8, code & 0xFF, 'b', 'y', 'e')), 1002);
	}

	/**
	 * Tomcat fails the connection with 1002 ({@code wsFrame.invalidUtf8Close}), not 1007.
	 */
	@Override
	@ParameterizedTest
	@MethodSource("invalidCloseReasons")
	@Category("Close handling")
	void closeReasonThatIsNotUtf8FailsTheConnection(byte[] payload) throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), payload), 1002);
	}

	/**
	 * Tomcat answers a close frame without a body with 1000, as RFC 6455 allows.
	 */
	@Override
	@Test
	@Category("Close handling")
	void closeWithoutABodyIsAnsweredAndTheServerEndsTheConnection() throws Exception {
		assertClosedWith(frame(true, 0, Opcode.CLOSE.code(), new byte[0]), 1000);
	}

}
