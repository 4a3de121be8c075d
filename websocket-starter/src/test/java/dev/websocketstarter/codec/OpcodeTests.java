package dev.websocketstarter.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Opcode}.
 */
class OpcodeTests {

	@Test
	void resolvesEveryDefinedOpcodeFromItsCode() {
		for (Opcode opcode : Opcode.values()) {
			assertThat(Opcode.of(opcode.code())).isSameAs(opcode);
		}
	}

	@Test
	void onlyCloseAndPingAndPongAreControlOpcodes() {
		assertThat(Opcode.values()).filteredOn(Opcode::isControl)
			.containsExactly(Opcode.CLOSE, Opcode.PING, Opcode.PONG);
	}

	@Test
	void rejectsReservedOpcodesWithProtocolError() {
		for (int code : new int[] { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, -1 }) {
			assertThatExceptionOfType(WebSocketProtocolException.class).as("opcode %d", code)
				.isThrownBy(() -> Opcode.of(code))
				.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR));
		}
	}

}
