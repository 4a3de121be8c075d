package dev.websocketstarter.sample.logview;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log viewer without a password set: the one generated is on the console, never in
 * the log file the viewer shows.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"logging.file.name=target/generated-password/app.log", "log-view.files.app=target/generated-password/app.log" })
class GeneratedPasswordTests {

	private static final Pattern PASSWORD = Pattern.compile("shown here only: (\\S+)");

	@Test
	void generatedPasswordIsOnTheConsoleOnly(CapturedOutput output) throws Exception {
		Matcher generated = PASSWORD.matcher(output.getOut());
		assertThat(generated.find()).as("the generated password on the console").isTrue();
		assertThat(output.getAll()).doesNotContain("Using generated security password");
		// The file the viewer tails by default, which every test's application writes
		String logFile = Files.readString(Path.of("logs/app.log"));
		assertThat(logFile).contains("Started").doesNotContain(generated.group(1));
	}

}
