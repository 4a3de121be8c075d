package dev.websocketstarter.registry;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The typed key of a value a channel carries: a user name, roles, a tenant. Set it at the
 * handshake ({@link HandshakeDecision#with}) or later
 * ({@link ChannelRegistry#setAttribute}), read it from any thread
 * ({@link ChannelRegistry#attribute}), also in {@link ChannelHandler#onClose}; it is gone
 * once the channel closed.
 * <p>
 * Declare keys as constants. An attribute is local to the node that holds the channel,
 * unless it is {@linkplain #shared shared}: then its value, as text of at most
 * {@value #MAX_SHARED_BYTES} bytes in UTF-8, is also visible to the other nodes of a
 * cluster.
 *
 * <pre class="code">
 * static final ChannelAttribute&lt;String&gt; USER = ChannelAttribute.shared("user");
 * static final ChannelAttribute&lt;RateLimiter&gt; LIMITER = ChannelAttribute.of("limiter", RateLimiter.class);
 * </pre>
 *
 * @param <T> the type of the value
 */
public final class ChannelAttribute<T> {

	/** The most bytes, in UTF-8, of a shared attribute's value as text. */
	public static final int MAX_SHARED_BYTES = 1024;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final String name;

	private final Class<T> type;

	private final @Nullable Function<? super T, String> format;

	private final @Nullable Function<String, ? extends T> parse;

	private ChannelAttribute(String name, Class<T> type, @Nullable Function<? super T, String> format,
			@Nullable Function<String, ? extends T> parse) {
		Assert.isTrue(name != null && NAME.matcher(name).matches(),
				() -> "Attribute name '" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
		Assert.notNull(type, "'type' must not be null");
		this.name = name;
		this.type = type;
		this.format = format;
		this.parse = parse;
	}

	/**
	 * An attribute this node only sees.
	 * @param <T> the type of the value
	 * @param name the name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
	 * @param type the type of the value
	 * @return the key
	 */
	public static <T> ChannelAttribute<T> of(String name, Class<T> type) {
		return new ChannelAttribute<>(name, type, null, null);
	}

	/**
	 * A text attribute that the other nodes of a cluster see too.
	 * @param name the name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
	 * @return the key
	 */
	public static ChannelAttribute<String> shared(String name) {
		return new ChannelAttribute<>(name, String.class, Function.identity(), Function.identity());
	}

	/**
	 * An attribute that the other nodes of a cluster see too, as text.
	 * @param <T> the type of the value
	 * @param name the name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
	 * @param type the type of the value
	 * @param format writes a value as text
	 * @param parse reads a value back from its text
	 * @return the key
	 */
	public static <T> ChannelAttribute<T> shared(String name, Class<T> type, Function<? super T, String> format,
			Function<String, ? extends T> parse) {
		Assert.notNull(format, "'format' must not be null");
		Assert.notNull(parse, "'parse' must not be null");
		return new ChannelAttribute<>(name, type, format, parse);
	}

	/**
	 * The name of the attribute.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The type of the value.
	 * @return the type
	 */
	public Class<T> type() {
		return this.type;
	}

	/**
	 * Whether the other nodes of a cluster see the attribute.
	 * @return {@code true} for a shared attribute
	 */
	public boolean isShared() {
		return this.format != null;
	}

	/**
	 * The value as the other nodes see it.
	 * @param value the value
	 * @return the text
	 * @throws IllegalStateException if the attribute is not shared
	 * @throws IllegalArgumentException if the text is longer than
	 * {@value #MAX_SHARED_BYTES} bytes in UTF-8
	 */
	public String format(T value) {
		Assert.state(this.format != null, () -> "Attribute '" + this.name + "' is not shared");
		String text = this.format.apply(value);
		int bytes = text.getBytes(StandardCharsets.UTF_8).length;
		Assert.isTrue(bytes <= MAX_SHARED_BYTES, () -> "Shared attribute '" + this.name + "' is " + bytes
				+ " bytes as text; at most " + MAX_SHARED_BYTES + " are allowed");
		return text;
	}

	/**
	 * Check a value before it is set.
	 * @param value the value
	 * @throws IllegalArgumentException if it is not of the attribute's type, or a shared
	 * value's text is longer than {@value #MAX_SHARED_BYTES} bytes in UTF-8
	 */
	void check(Object value) {
		Assert.isTrue(this.type.isInstance(value), () -> "Attribute '" + this.name + "' takes a " + this.type.getName()
				+ ", not a " + value.getClass().getName());
		if (isShared()) {
			format(this.type.cast(value));
		}
	}

	/**
	 * Read a value back from the text another node shared.
	 * @param text the text
	 * @return the value, {@code null} if it cannot be read
	 * @throws IllegalStateException if the attribute is not shared
	 */
	public @Nullable T parse(String text) {
		Assert.state(this.parse != null, () -> "Attribute '" + this.name + "' is not shared");
		try {
			return this.parse.apply(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "ChannelAttribute[" + this.name + ": " + this.type.getSimpleName() + (isShared() ? ", shared]" : "]");
	}

}
