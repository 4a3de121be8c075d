package dev.websocketstarter.internal.channel;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.websocketstarter.registry.ChannelAttribute;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The attributes of one channel. The map is made on first use: most channels of most apps
 * carry none, and an idle channel's memory counts.
 */
final class ChannelAttributes {

	private volatile @Nullable Map<String, Value> values;

	/**
	 * The value of an attribute.
	 * @return the value, or {@code null} if it is not set or was set under another type
	 */
	<T> @Nullable T get(ChannelAttribute<T> attribute) {
		Map<String, Value> values = this.values;
		Value value = (values != null) ? values.get(attribute.name()) : null;
		return (value != null && attribute.type().isInstance(value.value())) ? attribute.type().cast(value.value())
				: null;
	}

	/**
	 * Set or remove an attribute.
	 * @return whether a shared attribute changed
	 * @throws IllegalArgumentException if the value is not of the attribute's type, or a
	 * shared value's text is too long
	 */
	<T> boolean set(ChannelAttribute<T> attribute, @Nullable T value) {
		if (value == null) {
			Map<String, Value> values = this.values;
			Value removed = (values != null) ? values.remove(attribute.name()) : null;
			return removed != null && removed.key().isShared();
		}
		Assert.isTrue(attribute.type().isInstance(value), () -> "Attribute '" + attribute.name() + "' takes a "
				+ attribute.type().getName() + ", not a " + value.getClass().getName());
		String text = attribute.isShared() ? attribute.format(value) : null;
		Value before = values().put(attribute.name(), new Value(attribute, value, text));
		return attribute.isShared() || (before != null && before.key().isShared());
	}

	private Map<String, Value> values() {
		Map<String, Value> values = this.values;
		if (values == null) {
			synchronized (this) {
				values = this.values;
				if (values == null) {
					values = new ConcurrentHashMap<>(4);
					this.values = values;
				}
			}
		}
		return values;
	}

	/**
	 * The shared attributes as text, for the other nodes.
	 * @return a snapshot, sorted by name
	 */
	Map<String, String> shared() {
		Map<String, Value> values = this.values;
		if (values == null) {
			return Map.of();
		}
		Map<String, String> shared = new TreeMap<>();
		values.forEach((name, value) -> {
			if (value.text() != null) {
				shared.put(name, value.text());
			}
		});
		return shared;
	}

	private record Value(ChannelAttribute<?> key, Object value, @Nullable String text) {

	}

}
