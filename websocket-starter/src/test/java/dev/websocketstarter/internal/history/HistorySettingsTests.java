package dev.websocketstarter.internal.history;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the patterns of {@link HistorySettings}, where {@code *} stands for any
 * characters and everything else for itself.
 */
class HistorySettingsTests {

	@ParameterizedTest(name = "{0} ~ {1}: {2}")
	@CsvSource({ "/chat,/chat,true", "/chat,/chat2,false", "/chat*,/chat2,true", "/chat*,/chat,true",
			"/chat*,/cha,false", "*,anything,true", "*,'',true", "room-*-log,room-1-log,true",
			"room-*-log,room-1-lo,false", "room-*-log,room--log,true", "a*b*c,abc,true", "a*b*c,aXbYc,true",
			"a*b*c,acb,false", "a*a,a,false", "a*a,aa,true", "*.log,app.log,true", "*.log,app.txt,false",
			"a.c,abc,false", "/x/*,/x/,true" })
	void starStandsForAnyCharacters(String pattern, String subscription, boolean matches) {
		assertThat(HistorySettings.matches(pattern, subscription)).isEqualTo(matches);
	}

}
