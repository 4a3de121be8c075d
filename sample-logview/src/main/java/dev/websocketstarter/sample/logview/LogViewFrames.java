package dev.websocketstarter.sample.logview;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.websocketstarter.sample.logview.tail.FileState;
import dev.websocketstarter.sample.logview.tail.Resume;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON frames the server sends to viewers, written once per tick and file whatever
 * the number of viewers. Every line goes out with its secrets hidden ({@link Secrets}).
 */
class LogViewFrames {

	private final JsonMapper json;

	LogViewFrames(JsonMapper json) {
		this.json = json;
	}

	String files(List<FileStatus> files) {
		return this.json.writeValueAsString(new Files("files", files));
	}

	String lines(String file, List<String> lines, String position) {
		return this.json.writeValueAsString(new Lines("lines", file, Secrets.redact(lines), position, null, null));
	}

	/**
	 * The answer to a follow: the catch-up lines, whether they continue the viewer's
	 * position, and the file's state.
	 */
	String followed(String file, Resume resume, FileState state) {
		return this.json.writeValueAsString(new Lines("lines", file, Secrets.redact(resume.lines()), resume.position(),
				resume.continued(), lowerCase(state)));
	}

	String state(String file, String state, @Nullable Long skipped) {
		return this.json.writeValueAsString(new State("state", file, state, skipped));
	}

	String error(String error, String message) {
		return this.json.writeValueAsString(new Error("error", error, message));
	}

	static String lowerCase(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	record FileStatus(String name, String state) {
	}

	record Files(String type, List<FileStatus> files) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Lines(String type, String file, List<String> lines, String position, @Nullable Boolean continued,
			@Nullable String state) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record State(String type, String file, String state, @Nullable Long skipped) {
	}

	record Error(String type, String error, String message) {
	}

}
