package dev.websocketstarter.sample.logview.tail;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LineAssembler}.
 */
class LineAssemblerTests {

	private final LineAssembler line = new LineAssembler(4);

	@Test
	void joinsPiecesIntoOneLine() {
		append("ab");
		append("c");
		assertThat(this.line.take()).isEqualTo("abc");
		assertThat(this.line.isEmpty()).isTrue();
	}

	@Test
	void cutsAfterMaxLineLengthAndCountsTheRest() {
		append("abcdefg");
		assertThat(this.line.keptLength(0)).isEqualTo(4);
		assertThat(this.line.take()).isEqualTo("abcd … [cut 3 bytes]");
	}

	@Test
	void carriageReturnJustPastTheLimitIsALineEndNotACut() {
		append("abcd\r");
		assertThat(this.line.take()).isEqualTo("abcd");
		append("abcde\r");
		assertThat(this.line.take()).isEqualTo("abcd … [cut 1 byte]");
	}

	@Test
	void carriageReturnInsideTheLimitThatIsContentIsKept() {
		append("ab\r\r");
		assertThat(this.line.take()).isEqualTo("ab\r");
	}

	@Test
	void cutMovesBackToTheStartOfAFourByteCharacter() {
		append("a😀b");
		assertThat(this.line.take()).isEqualTo("a … [cut 5 bytes]");
	}

	@Test
	void cutKeepsACompleteCharacterThatEndsAtTheLimit() {
		append("x€ab");
		assertThat(this.line.take()).isEqualTo("x€ … [cut 2 bytes]");
	}

	private void append(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.line.append(bytes, 0, bytes.length);
	}

}
