package dev.websocketstarter.internal.channel;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Which app's subscriptions a subscription name means. Each app has a scope of its own,
 * its name, unless apps share one by configuring the same {@code subscription-scope}: a
 * channel subscribes in its app's scope, and a multicast reaches the channels of one
 * scope only, so a client of one app cannot join another app's subscriptions.
 * <p>
 * A registry of one app resolves names in that app's scope. The registry every app shares
 * resolves an app's URL in that app's scope, any other name in the one scope all apps
 * share, and refuses a name it cannot place.
 */
public final class SubscriptionScopes {

	private final Map<String, String> appScopes = new ConcurrentHashMap<>();

	private final Map<String, String> urlScopes = new ConcurrentHashMap<>();

	private volatile @Nullable String onlyScope;

	/**
	 * Learn an app's scope and URLs.
	 */
	void add(AppSettings app) {
		this.appScopes.put(app.name(), app.subscriptionScope());
		for (String url : app.urls()) {
			this.urlScopes.put(url, app.subscriptionScope());
		}
		Set<String> scopes = Set.copyOf(this.appScopes.values());
		this.onlyScope = (scopes.size() == 1) ? scopes.iterator().next() : null;
	}

	/**
	 * The scope of an app's subscriptions.
	 * @param app the app name
	 * @return its scope; its name for an app this node does not know
	 */
	public String ofApp(String app) {
		return this.appScopes.getOrDefault(app, app);
	}

	/**
	 * Whether this node serves an app.
	 * @param app the app name
	 * @return {@code true} if it does
	 */
	public boolean isKnown(String app) {
		return this.appScopes.containsKey(app);
	}

	/**
	 * The scope a name means to a registry.
	 * @param scope the registry's scope, {@code null} for the registry every app shares
	 * @param subscription the name, or {@code null} for an operation on the whole scope
	 * @return the scope
	 * @throws IllegalArgumentException if the name is not an app URL and apps have
	 * separate scopes
	 */
	public String resolve(@Nullable String scope, @Nullable String subscription) {
		if (scope != null) {
			return scope;
		}
		if (subscription != null) {
			String urlScope = this.urlScopes.get(subscription);
			if (urlScope != null) {
				return urlScope;
			}
		}
		String only = this.onlyScope;
		if (only != null) {
			return only;
		}
		if (this.appScopes.isEmpty()) {
			return "";
		}
		Set<String> apps = new TreeSet<>(this.appScopes.keySet());
		throw new IllegalArgumentException(
				((subscription != null) ? "Subscription '" + subscription + "' is not an app URL, and apps " : "Apps ")
						+ apps + " keep separate subscriptions: say which app's, as in registry.app(\""
						+ apps.iterator().next() + "\")");
	}

	@Override
	public String toString() {
		return "SubscriptionScopes" + this.appScopes;
	}

}
