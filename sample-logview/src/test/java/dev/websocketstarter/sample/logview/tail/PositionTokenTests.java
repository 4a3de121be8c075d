package dev.websocketstarter.sample.logview.tail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PositionToken}.
 */
class PositionTokenTests {

	@Test
	void decodesWhatItEncodes() {
		PositionToken token = new PositionToken("(dev=803,ino=42)", new Fingerprint(256, 0xFFFF_FFFFL), 1234567890123L);
		assertThat(PositionToken.decode(token.encode())).isEqualTo(token);
		assertThat(PositionToken.decode(PositionToken.NONE.encode())).isEqualTo(PositionToken.NONE);
	}

	@Test
	void encodesToCharactersThatNeedNoEscapingInJson() {
		PositionToken token = new PositionToken("\"quoted\" \\ key", new Fingerprint(3, 7), 5);
		assertThat(token.encode()).matches("[A-Za-z0-9._-]+");
	}

	@Test
	void rejectsWhatItDidNotEncode() {
		assertThat(PositionToken.decode(null)).isNull();
		assertThat(PositionToken.decode("")).isNull();
		assertThat(PositionToken.decode("t1.a.b.c.d")).isNull();
		assertThat(PositionToken.decode("t1.AA.1.0.-5")).isNull();
		assertThat(PositionToken.decode("t1.AA.257.0.5")).isNull();
		assertThat(PositionToken.decode("t1.AA.1.0.5.6")).isNull();
		assertThat(PositionToken.decode("t9.AA.1.0.5")).isNull();
	}

}
