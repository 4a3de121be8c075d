package dev.websocketstarter.autoconfigure;

/**
 * WebSocket apps are configured in a way that cannot work; reported at startup by
 * {@link WebSocketConfigurationFailureAnalyzer}.
 */
public class WebSocketConfigurationException extends RuntimeException {

	private final String action;

	/**
	 * Create an exception.
	 * @param description what is wrong
	 * @param action how to fix it
	 */
	public WebSocketConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * How to fix the configuration.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
