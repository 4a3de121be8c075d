package dev.websocketstarter.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the configuration reference, {@code docs/configuration.md}, lists every key
 * of the generated configuration metadata with the type, default and description the code
 * gives it, so the page cannot drift from the code. The tables sit between two markers;
 * run with {@code -Ddocs.update=true} to rewrite them after changing a property.
 */
class ConfigurationReferenceTests {

	static final String BEGIN = "<!-- Generated from the configuration metadata by ConfigurationReferenceTests: edit"
			+ " the properties' Javadoc, then run ./mvnw -pl websocket-starter test"
			+ " -Dtest=ConfigurationReferenceTests -Ddocs.update=true -->";

	static final String END = "<!-- End of the generated tables -->";

	private static final Path PAGE = Path.of("..", "docs", "configuration.md");

	/** Sections of the page, by the prefix of their keys; the longest prefix wins. */
	private static final Map<String, String> SECTIONS = sections();

	@Test
	void theReferenceListsEveryKeyAsTheMetadataDescribesIt() throws IOException {
		String page = Files.readString(PAGE, StandardCharsets.UTF_8);
		int begin = page.indexOf(BEGIN);
		int end = page.indexOf(END);
		assertThat(begin).as("the begin marker in " + PAGE).isNotNegative();
		assertThat(end).as("the end marker after the begin marker in " + PAGE).isGreaterThan(begin);
		String expected = BEGIN + "\n\n" + tables() + "\n" + END;
		String actual = page.substring(begin, end + END.length());
		if (!actual.equals(expected) && Boolean.getBoolean("docs.update")) {
			Files.writeString(PAGE, page.substring(0, begin) + expected + page.substring(end + END.length()),
					StandardCharsets.UTF_8);
			return;
		}
		assertThat(actual).as(PAGE + " is out of date: run the command in its generated section's marker")
			.isEqualTo(expected);
	}

	@Test
	void everySectionHasKeys() throws IOException {
		Map<String, List<JsonNode>> bySection = bySection(properties());
		assertThat(bySection.keySet()).containsExactlyInAnyOrderElementsOf(SECTIONS.keySet());
	}

	private static String tables() throws IOException {
		StringBuilder tables = new StringBuilder();
		bySection(properties()).forEach((prefix, properties) -> {
			tables.append("### ").append(SECTIONS.get(prefix)).append("\n\n");
			tables.append("| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
			for (JsonNode property : properties) {
				tables.append("| `")
					.append(property.path("name").asString())
					.append("` | ")
					.append(type(property.path("type").asString()))
					.append(" | ")
					.append(defaultValue(property, property.path("type").asString()))
					.append(" | ")
					.append(cell(property.path("description").asString()))
					.append(" |\n");
			}
			tables.append("\n");
		});
		tables.append(appOnlyTable());
		return tables.toString();
	}

	/**
	 * The keys only an app has, whose metadata the map of apps hides: described from
	 * {@link AppProperties}' Javadoc.
	 */
	private static String appOnlyTable() throws IOException {
		String source = Files.readString(
				Path.of("src", "main", "java", "dev", "websocketstarter", "autoconfigure", "AppProperties.java"),
				StandardCharsets.UTF_8);
		Map<String, String> javadoc = new LinkedHashMap<>();
		Matcher field = Pattern
			.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*private (?:final )?(?:@Nullable )?[\\w<>, ]+ (\\w+)[ ;=]",
					Pattern.DOTALL)
			.matcher(source);
		while (field.find()) {
			String text = Arrays.stream(field.group(1).split("\n"))
				.map((line) -> line.replaceFirst("^\\s*\\*?\\s?", "").strip())
				.filter((line) -> !line.isEmpty())
				.collect(Collectors.joining(" "));
			javadoc.putIfAbsent(field.group(2), text.replaceAll("\\{@code ([^}]*)}", "$1"));
		}
		StringBuilder table = new StringBuilder("### Per app only: `websocket.apps.<name>.*`\n\n");
		table.append("| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
		table.append("| `websocket.apps.<name>.urls` | list of strings | (none: the app is off) | ")
			.append(cell(javadoc.get("urls")))
			.append(" |\n");
		table.append("| `websocket.apps.<name>.subscription-scope` | string | the app's name | ")
			.append(cell(javadoc.get("subscriptionScope")))
			.append(" |\n");
		return table.toString();
	}

	private static Map<String, List<JsonNode>> bySection(List<JsonNode> properties) {
		Map<String, List<JsonNode>> bySection = new LinkedHashMap<>();
		SECTIONS.keySet().forEach((prefix) -> bySection.put(prefix, new ArrayList<>()));
		for (JsonNode property : properties) {
			String name = property.path("name").asString();
			if (name.equals("websocket.apps")) {
				// A map: its keys are the per-app table's and the defaults'
				continue;
			}
			String section = SECTIONS.keySet()
				.stream()
				.filter((prefix) -> name.startsWith(prefix + "."))
				.max((a, b) -> Integer.compare(a.length(), b.length()))
				.orElseThrow(() -> new AssertionError(name + " belongs to no section of the reference"));
			if (name.substring(section.length() + 1).contains(".")
					&& !section.equals("management.endpoint.websocket")) {
				throw new AssertionError(name + " needs a section of its own in the reference");
			}
			bySection.get(section).add(property);
		}
		bySection.values().removeIf(List::isEmpty);
		return bySection;
	}

	private static Map<String, String> sections() {
		Map<String, String> sections = new LinkedHashMap<>();
		sections.put("websocket", "Node-wide: `websocket.*`");
		sections.put("websocket.defaults", "Every app, unless it sets its own: `websocket.defaults.*`");
		sections.put("websocket.defaults.history", "History, every app: `websocket.defaults.history.*`");
		sections.put("websocket.cluster", "Cluster: `websocket.cluster.*`");
		sections.put("management.endpoint.websocket", "Actuator endpoint: `management.endpoint.websocket.*`");
		return sections;
	}

	private static String type(String javaType) {
		return switch (javaType) {
			case "java.lang.Boolean" -> "boolean";
			case "java.lang.Integer" -> "integer";
			case "java.lang.String" -> "string";
			case "java.time.Duration" -> "duration (`500ms`, `30s`, `5m`)";
			case "org.springframework.util.unit.DataSize" -> "size (`512B`, `64KB`, `1MB`)";
			case "java.util.List<java.lang.String>" -> "list of strings";
			default -> enumValues(javaType);
		};
	}

	private static String enumValues(String javaType) {
		try {
			Class<?> type = Class.forName(javaType);
			assertThat(type.isEnum()).as(javaType + " is an enum, or the reference names its type").isTrue();
			return "one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
				.collect(Collectors.joining(", "));
		}
		catch (ClassNotFoundException ex) {
			throw new AssertionError("The reference does not know the type " + javaType, ex);
		}
	}

	private static String defaultValue(JsonNode property, String javaType) {
		JsonNode value = property.path("defaultValue");
		if (value.isMissingNode()) {
			return "(none)";
		}
		String text = value.isValueNode() ? value.asString() : value.toString();
		// Enum defaults are written as Boot binds them: lower case, dashed
		return "`" + (type(javaType).startsWith("one of") ? text.toLowerCase(Locale.ROOT).replace('_', '-') : text)
				+ "`";
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ");
	}

	private static List<JsonNode> properties() throws IOException {
		try (InputStream input = ConfigurationReferenceTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(input).as("generated metadata").isNotNull();
			List<JsonNode> properties = new ArrayList<>();
			JsonMapper.builder().build().readTree(input).path("properties").forEach(properties::add);
			properties.sort((a, b) -> a.path("name").asString().compareTo(b.path("name").asString()));
			return properties;
		}
	}

}
