package dev.websocketstarter.test.client;

import java.util.Arrays;

import org.assertj.core.api.AbstractAssert;

import org.springframework.web.socket.CloseStatus;

/**
 * AssertJ assertions on a {@link WebSocketTestClient}, waiting for what is still to come.
 * <pre class="code">
 * assertThat(client).receivesJson("/type", "welcome").receivesText("pong").isClosedWith(1008);
 * </pre>
 */
public class WebSocketClientAssert extends AbstractAssert<WebSocketClientAssert, WebSocketTestClient> {

	/**
	 * Create assertions on a client.
	 * @param actual the client
	 */
	public WebSocketClientAssert(WebSocketTestClient actual) {
		super(actual, WebSocketClientAssert.class);
	}

	/**
	 * Start assertions on a client.
	 * @param client the client
	 * @return the assertions
	 */
	public static WebSocketClientAssert assertThat(WebSocketTestClient client) {
		return new WebSocketClientAssert(client);
	}

	/**
	 * Wait for a text message with exactly this text.
	 * @param text the text
	 * @return these assertions
	 */
	public WebSocketClientAssert receivesText(String text) {
		isNotNull();
		this.actual.awaitText(text);
		return this;
	}

	/**
	 * Wait for a JSON text message with a value at a JSON Pointer.
	 * @param pointer the JSON Pointer, such as {@code /type}
	 * @param value the value, compared as text
	 * @return these assertions
	 */
	public WebSocketClientAssert receivesJson(String pointer, Object value) {
		isNotNull();
		this.actual.awaitJson(pointer, value);
		return this;
	}

	/**
	 * Check that the text messages received so far are exactly these, in order.
	 * @param texts the texts
	 * @return these assertions
	 */
	public WebSocketClientAssert hasReceivedTexts(String... texts) {
		isNotNull();
		if (!this.actual.texts().equals(Arrays.asList(texts))) {
			failWithMessage("Expected %s to have received exactly %s, but it received %s", this.actual,
					Arrays.asList(texts), this.actual.received());
		}
		return this;
	}

	/**
	 * Wait for the server to close the connection with a code.
	 * @param code the close code
	 * @return these assertions
	 */
	public WebSocketClientAssert isClosedWith(int code) {
		isNotNull();
		CloseStatus status = this.actual.awaitClose();
		if (status.getCode() != code) {
			failWithMessage("Expected %s to be closed with %d, but it was closed with %s after receiving %s",
					this.actual, code, status, this.actual.received());
		}
		return this;
	}

}
