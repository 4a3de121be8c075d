package dev.websocketstarter.codec;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CloseCodes}.
 */
class CloseCodesTests {

	@Test
	void definedCodesAndApplicationRangesAreValidOnTheWire() {
		assertThat(IntStream.rangeClosed(0, 6000).filter(CloseCodes::isValidOnWire).boxed().toList())
			.containsExactlyElementsOf(IntStream
				.concat(IntStream.concat(IntStream.rangeClosed(1000, 1003), IntStream.rangeClosed(1007, 1014)),
						IntStream.rangeClosed(3000, 4999))
				.boxed()
				.toList());
	}

	@Test
	void locallyReportedAndUnassignedCodesAreNotValidOnTheWire() {
		for (int code : new int[] { -1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 }) {
			assertThat(CloseCodes.isValidOnWire(code)).as("code %d", code).isFalse();
		}
	}

	@Test
	void constantsMatchRegisteredValues() {
		assertThat(new int[] { CloseCodes.NORMAL, CloseCodes.GOING_AWAY, CloseCodes.PROTOCOL_ERROR,
				CloseCodes.UNSUPPORTED_DATA, CloseCodes.NO_STATUS, CloseCodes.ABNORMAL, CloseCodes.INVALID_PAYLOAD,
				CloseCodes.POLICY_VIOLATION, CloseCodes.MESSAGE_TOO_BIG, CloseCodes.MANDATORY_EXTENSION,
				CloseCodes.INTERNAL_ERROR, CloseCodes.SERVICE_RESTART, CloseCodes.TRY_AGAIN_LATER,
				CloseCodes.BAD_GATEWAY })
			.containsExactly(1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014);
	}

}
