package dev.websocketstarter.sample.logview;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Hides the secrets a log line may hold before it leaves the server: the value after a
 * key such as {@code password}, {@code secret}, {@code token} or {@code api-key}
 * ({@code password=...}, {@code "secret": "..."}, Boot's "Using generated security
 * password: ..."), and the credentials of an {@code Authorization} header.
 */
final class Secrets {

	static final String REDACTED = "[redacted]";

	private static final Pattern KEY_VALUE = Pattern
		.compile("(?i)(\\b(?:password|passwd|pwd|secret|client[-_.]?secret|token|access[-_.]?token|api[-_.]?key|"
				+ "access[-_.]?key|private[-_.]?key|credentials?)\\b\"?\\s*[=:]\\s*)"
				+ "(\"[^\"]*\"|'[^']*'|[^\\s&,;\"']+)");

	private static final Pattern AUTHORIZATION = Pattern
		.compile("(?i)(\\bauthorization\\b\"?\\s*[=:]\\s*\"?(?:basic|bearer|digest)\\s+)[^\\s\",;]+");

	private Secrets() {
	}

	static String redact(String line) {
		String redacted = AUTHORIZATION.matcher(line).replaceAll("$1" + REDACTED);
		return KEY_VALUE.matcher(redacted).replaceAll("$1" + REDACTED);
	}

	static List<String> redact(List<String> lines) {
		return lines.stream().map(Secrets::redact).toList();
	}

}
