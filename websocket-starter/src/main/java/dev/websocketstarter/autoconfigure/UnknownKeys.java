package dev.websocketstarter.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds keys under a prefix that bind to no property of a properties class, such as
 * {@code websocket.apps.prices.url} for {@code urls}, and fails naming each with the
 * closest valid key. Boot binds such keys to nothing without a word, which leaves an app
 * off or an option at its default.
 * <p>
 * The valid keys are read off the properties class itself: its JavaBean properties,
 * nested classes of the same package, maps (any key) and lists (any index). Operating
 * system environment variables are not checked, as Boot does not for unbound elements:
 * they are shared with everything else on the machine.
 */
final class UnknownKeys {

	private final ConfigurationPropertyName prefix;

	private final Class<?> type;

	/**
	 * Create a check.
	 * @param prefix the prefix the properties class binds
	 * @param type the properties class
	 */
	UnknownKeys(String prefix, Class<?> type) {
		this.prefix = ConfigurationPropertyName.of(prefix);
		this.type = type;
	}

	/**
	 * Fail if the environment has a key under the prefix that binds to nothing.
	 * @param environment the environment
	 * @throws WebSocketConfigurationException naming every unknown key
	 */
	void check(Environment environment) {
		Map<ConfigurationPropertyName, String> unknown = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable && !isSystemEnvironment(source)) {
				iterable.stream()
					.filter(this.prefix::isAncestorOf)
					.forEach((name) -> problem(name).ifPresent((fix) -> unknown.putIfAbsent(name,
							"'" + name + "'" + origin(source.getConfigurationProperty(name)) + ": " + fix)));
			}
		}
		if (!unknown.isEmpty()) {
			throw new WebSocketConfigurationException(
					((unknown.size() == 1) ? "Unknown configuration key " : "Unknown configuration keys ")
							+ String.join(", ", unknown.keySet().stream().map((name) -> "'" + name + "'").toList())
							+ ": the starter has no such property.",
					String.join("\n", unknown.values()));
		}
	}

	private static boolean isSystemEnvironment(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof PropertySource<?> propertySource
				&& StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(propertySource.getName());
	}

	private static String origin(@Nullable ConfigurationProperty property) {
		Origin origin = (property != null) ? property.getOrigin() : null;
		return (origin != null) ? " (set in " + origin + ")" : "";
	}

	/**
	 * How to fix a key that binds to nothing, with the closest valid key; empty for a
	 * valid key.
	 */
	Optional<String> problem(ConfigurationPropertyName name) {
		ResolvableType type = ResolvableType.forClass(this.type);
		int elements = name.getNumberOfElements();
		for (int i = this.prefix.getNumberOfElements(); i < elements; i++) {
			Class<?> raw = type.resolve(Object.class);
			if (Map.class.isAssignableFrom(raw)) {
				type = type.asMap().getGeneric(1);
				if (isLeaf(type)) {
					return Optional.empty();
				}
			}
			else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
				if (!name.isNumericIndex(i)) {
					return unknown(name, i, List.of());
				}
				type = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
			}
			else if (isLeaf(type)) {
				return unknown(name, i, List.of());
			}
			else {
				Map<String, Property> properties = properties(raw);
				Property property = name.isNumericIndex(i) ? null : properties.get(name.getElement(i, Form.UNIFORM));
				if (property == null) {
					return unknown(name, i, properties.values().stream().map(Property::name).toList());
				}
				type = property.type();
			}
		}
		return Optional.empty();
	}

	private boolean isLeaf(ResolvableType type) {
		Class<?> raw = type.resolve(Object.class);
		return !Map.class.isAssignableFrom(raw) && !Collection.class.isAssignableFrom(raw) && !raw.isArray()
				&& (raw.isEnum() || !raw.getPackageName().equals(this.type.getPackageName()));
	}

	/**
	 * The JavaBean properties of a class by their uniform name: lower case, no dashes, as
	 * relaxed binding compares them.
	 */
	private static Map<String, Property> properties(Class<?> type) {
		Map<String, Property> properties = new LinkedHashMap<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			Method getter = descriptor.getReadMethod();
			if (getter != null && getter.getDeclaringClass() != Object.class) {
				String dashed = descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
				properties.put(dashed.replace("-", ""),
						new Property(dashed, ResolvableType.forMethodReturnType(getter)));
			}
		}
		return properties;
	}

	private static Optional<String> unknown(ConfigurationPropertyName name, int element, List<String> valid) {
		ConfigurationPropertyName parent = name.chop(element);
		String given = name.getElement(element, Form.DASHED);
		if (valid.isEmpty()) {
			return Optional.of("'" + parent + "' takes a value, no key below it.");
		}
		String closest = valid.stream()
			.min(Comparator.comparingInt((String candidate) -> distance(given, candidate)))
			.orElseThrow();
		String suggestion = (distance(given, closest) <= Math.max(2, given.length() / 2))
				? "did you mean '" + parent.append(closest) + "'? " : "";
		return Optional
			.of(suggestion + "Keys of '" + parent + "' are " + String.join(", ", new TreeSet<>(valid)) + ".");
	}

	/**
	 * The Levenshtein distance: edits that turn one key into the other.
	 */
	static int distance(String left, String right) {
		int[] previous = new int[right.length() + 1];
		int[] current = new int[right.length() + 1];
		for (int j = 0; j <= right.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= left.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= right.length(); j++) {
				int substitution = previous[j - 1] + ((left.charAt(i - 1) == right.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[right.length()];
	}

	private record Property(String name, ResolvableType type) {
	}

}
