package dev.websocketstarter.test.client;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One whole message a {@link WebSocketTestClient} received: its parts joined.
 *
 * @param text the text of a text message, {@code null} for a binary one
 * @param bytes the payload of a binary message, {@code null} for a text one
 */
public record WebSocketMessage(@Nullable String text, byte @Nullable [] bytes) {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Whether it is a text message.
	 * @return {@code true} for text
	 */
	public boolean isText() {
		return this.text != null;
	}

	/**
	 * The text of a text message.
	 * @return the text
	 * @throws AssertionError if the message is binary
	 */
	public String asText() {
		if (this.text == null) {
			throw new AssertionError("Expected a text message, but it is binary: " + this);
		}
		return this.text;
	}

	/**
	 * The payload of a binary message.
	 * @return a copy of the payload
	 * @throws AssertionError if the message is text
	 */
	public byte[] asBytes() {
		if (this.bytes == null) {
			throw new AssertionError("Expected a binary message, but it is text: " + this);
		}
		return this.bytes.clone();
	}

	/**
	 * The text of a text message, parsed as JSON.
	 * @return the JSON tree
	 * @throws AssertionError if the message is binary or not JSON
	 */
	public JsonNode asJson() {
		try {
			return json.readTree(asText());
		}
		catch (RuntimeException ex) {
			throw new AssertionError("Expected a JSON message, but got " + this, ex);
		}
	}

	/**
	 * The value at a JSON Pointer in a JSON text message, such as {@code /data/text}.
	 * @param pointer the JSON Pointer (RFC 6901)
	 * @return the value, a missing node when there is none; never {@code null}
	 */
	public JsonNode at(String pointer) {
		return asJson().at(pointer);
	}

	@Override
	public String toString() {
		if (this.text != null) {
			return "text " + shorten(this.text);
		}
		byte[] bytes = (this.bytes != null) ? this.bytes : new byte[0];
		return "binary of " + bytes.length + " bytes " + shorten(new String(bytes, StandardCharsets.ISO_8859_1));
	}

	private static String shorten(String text) {
		return (text.length() <= 200) ? '"' + text + '"'
				: '"' + text.substring(0, 200) + "\"... (" + text.length() + " characters)";
	}

}
