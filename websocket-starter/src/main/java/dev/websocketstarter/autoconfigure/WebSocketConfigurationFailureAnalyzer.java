package dev.websocketstarter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link WebSocketConfigurationException} with what is wrong and how to fix it.
 */
class WebSocketConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WebSocketConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WebSocketConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
