package dev.websocketstarter.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one app under {@code websocket.apps} has URLs, so that settings
 * with effects beyond the starter's beans are made only for a node that serves an app.
 */
class OnAppsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, AppProperties> apps = Binder.get(context.getEnvironment())
			.bind("websocket.apps", Bindable.mapOf(String.class, AppProperties.class))
			.orElse(Map.of());
		return apps.values().stream().anyMatch((app) -> !app.getUrls().isEmpty())
				? ConditionOutcome.match("an app under websocket.apps has urls")
				: ConditionOutcome.noMatch("no app under websocket.apps has urls");
	}

}
