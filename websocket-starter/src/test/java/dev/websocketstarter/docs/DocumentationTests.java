package dev.websocketstarter.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the Markdown documentation cannot rot: a code block that names a file
 * ({@code ```java file=docs/getting-started/...}) shows that file as it is in the
 * repository (the getting-started project, which the build compiles, starts and tests),
 * every relative link reaches a file and heading that exist, and the README's two set-up
 * commands are the ones CI runs. Run with {@code -Ddocs.update=true} to copy changed
 * files into the pages.
 */
class DocumentationTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern FENCE = Pattern.compile("^```(\\S*)(?: file=(\\S+))?\\s*$");

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	@Test
	void everyCodeBlockThatNamesAFileShowsThatFile() throws IOException {
		int checked = 0;
		for (Path page : pages()) {
			List<String> lines = new ArrayList<>(lines(page));
			boolean changed = false;
			for (int i = 0; i < lines.size(); i++) {
				Matcher fence = FENCE.matcher(lines.get(i));
				if (fence.matches() && fence.group(2) != null) {
					int end = i + 1;
					while (!lines.get(end).equals("```")) {
						end++;
					}
					List<String> shown = lines.subList(i + 1, end);
					Path file = ROOT.resolve(fence.group(2));
					assertThat(file).as(page + " line " + (i + 1)).isRegularFile();
					List<String> actual = lines(file);
					if (!shown.equals(actual) && Boolean.getBoolean("docs.update")) {
						shown.clear();
						shown.addAll(actual);
						end = i + 1 + actual.size();
						changed = true;
					}
					assertThat(shown)
						.as(page + " line " + (i + 1) + " shows " + fence.group(2)
								+ " (-Ddocs.update=true copies the file in)")
						.containsExactlyElementsOf(actual);
					checked++;
					i = end;
				}
			}
			if (changed) {
				Files.write(page, lines, StandardCharsets.UTF_8);
			}
		}
		assertThat(checked).as("code blocks naming a file").isGreaterThanOrEqualTo(5);
	}

	@Test
	void everyRelativeLinkReachesAFileAndHeadingThatExist() {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			String text = withoutCode(read(page));
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String path = (hash >= 0) ? target.substring(0, hash) : target;
				Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
				if (!Files.exists(file)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void theReadmeGivesTwoSetUpCommandsAndCiRunsThem() {
		List<String> readme = lines(ROOT.resolve("README.md"));
		int setUp = readme.indexOf("## Set up");
		assertThat(setUp).as("the README's Set up section").isNotNegative();
		List<String> commands = readme.subList(setUp + 1, readme.size())
			.stream()
			.takeWhile((line) -> !line.startsWith("## "))
			.filter((line) -> line.startsWith("    "))
			.map(String::strip)
			.toList();
		assertThat(commands).as("the set-up commands").hasSize(2);
		assertThat(commands.get(1)).isEqualTo("./test.sh");
		String ci = read(ROOT.resolve(".ci/run"));
		assertThat(ci).as("CI runs the test command").contains("bash ./test.sh");
		assertThat(ci).as("CI starts the sample with the README's first command, read from the README")
			.contains("README.md");
	}

	/**
	 * The README, the pages under docs/ and the modules' READMEs.
	 */
	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(ROOT.resolve("docs")); Stream<Path> modules = Files.list(ROOT)) {
			docs.filter((file) -> file.toString().endsWith(".md") && !file.toString().contains("/target/"))
				.forEach(pages::add);
			modules.map((module) -> module.resolve("README.md")).filter(Files::isRegularFile).forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	/**
	 * The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces
	 * made dashes.
	 */
	private static Set<String> anchors(Path file) {
		if (!file.toString().endsWith(".md")) {
			return Set.of();
		}
		return read(file).replaceAll("(?ms)^```.*?^```", "")
			.lines()
			.filter((line) -> line.startsWith("#"))
			.map((line) -> line.replaceFirst("^#+\\s*", "")
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^\\p{L}\\p{N} _-]", "")
				.replace(' ', '-'))
			.collect(Collectors.toSet());
	}

	private static String withoutCode(String markdown) {
		return markdown.replaceAll("(?ms)^```.*?^```", "").replaceAll("`[^`\n]*`", "");
	}

	private static List<String> lines(Path file) {
		return read(file).lines().toList();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
