package dev.websocketstarter.sample.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.regex.Pattern;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.SpoofChecker;
import org.jspecify.annotations.Nullable;

/**
 * Which display names a member may have, and when two names are one to a reader. A name
 * is normalised (NFKC, runs of spaces made one); it is refused when it holds an
 * invisible, control, format or direction character, when nothing in it is visible, when
 * it is too long, or when it ends in a number in brackets, which the server adds to tell
 * members apart. Two names are the same when their confusable skeletons are (Unicode
 * TR39, by ICU4J): {@code аlice} with a Cyrillic a is {@code alice}, and so is
 * {@code aIice} with a capital I. Case is kept: {@code Alice} is another name, as it
 * looks like one.
 */
final class MemberNames {

	static final String GUEST = "guest";

	private static final Pattern SERVER_SUFFIX = Pattern.compile(".*\\(\\d+\\)$");

	private static final Pattern SPACES = Pattern.compile(" {2,}");

	/** Looks blank, yet is neither white space nor default-ignorable. */
	private static final int BRAILLE_BLANK = 0x2800;

	private final int maxLength;

	private final SpoofChecker skeletons = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();

	/**
	 * Decide on names of at most a number of code points.
	 * @param maxLength the most code points a name may have, before the server's suffix
	 */
	MemberNames(int maxLength) {
		this.maxLength = maxLength;
	}

	/**
	 * The name a member asked for, normalised; {@value #GUEST} when it asked for none.
	 * @throws InvalidNameException saying why the name is refused
	 */
	String normalise(@Nullable String requested) {
		if (requested == null || requested.isBlank()) {
			return GUEST;
		}
		// As asked, so that the character named is one the member typed; then as
		// normalised, which may make new ones
		refuseInvisible(requested);
		String name = SPACES.matcher(Normalizer.normalize(requested, Normalizer.Form.NFKC).strip()).replaceAll(" ");
		if (name.isEmpty()) {
			return GUEST;
		}
		refuseInvisible(name);
		if (name.codePoints().noneMatch(MemberNames::isVisible)) {
			throw new InvalidNameException("nothing in it is visible");
		}
		if (name.codePointCount(0, name.length()) > this.maxLength) {
			throw new InvalidNameException("it is longer than " + this.maxLength + " characters");
		}
		if (SERVER_SUFFIX.matcher(name).matches()) {
			throw new InvalidNameException("a number in brackets at the end is the server's");
		}
		return name;
	}

	/**
	 * What a name is claimed as in its room: a digest of its confusable skeleton, so that
	 * look-alikes collide and the claim's size is fixed.
	 */
	String claimKey(String name) {
		String skeleton = this.skeletons.getSkeleton(name);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(skeleton.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	private static void refuseInvisible(String name) {
		name.codePoints().filter(MemberNames::isInvisible).findFirst().ifPresent((codePoint) -> {
			throw new InvalidNameException(String.format("it holds the invisible character U+%04X", codePoint));
		});
	}

	/**
	 * A control, format (direction marks and overrides among them), private-use,
	 * unassigned or default-ignorable character, or a line break. Other spaces are left
	 * to NFKC, which makes most of them plain spaces.
	 */
	private static boolean isInvisible(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
					Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
				true;
			default -> UCharacter.hasBinaryProperty(codePoint, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
		};
	}

	/** A letter, digit, punctuation or symbol: marks and spaces alone show nothing. */
	private static boolean isVisible(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.SPACE_SEPARATOR, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
					Character.COMBINING_SPACING_MARK ->
				false;
			default -> codePoint != BRAILLE_BLANK;
		};
	}

	/**
	 * A name the chat does not accept, with why, for the member's close reason.
	 */
	static final class InvalidNameException extends IllegalArgumentException {

		InvalidNameException(String why) {
			super(why);
		}

	}

}
