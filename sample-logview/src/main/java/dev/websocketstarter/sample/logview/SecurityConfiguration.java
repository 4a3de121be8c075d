package dev.websocketstarter.sample.logview;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Everything under {@code /admin/} needs role ADMIN: form login for browsers, HTTP Basic
 * for tools. A handshake to the WebSocket URL without credentials gets 401, with the
 * wrong role 403, before any upgrade.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	private static final int MIN_PASSWORD_LENGTH = 12;

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
		basic.setRealmName("log-view");
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/admin/**").hasRole("ADMIN").anyRequest().permitAll())
			.formLogin((form) -> form.defaultSuccessUrl("/admin/log-view", true))
			.httpBasic(Customizer.withDefaults())
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(basic,
					PathPatternRequestMatcher.withDefaults().matcher("/admin/websocket/**")));
		return http.build();
	}

	/**
	 * The administrator of {@code spring.security.user.*}. Without a password set, Boot
	 * would generate one and log it, and the log file is what the viewer shows: this one
	 * is generated the same way and printed to the console only.
	 */
	@Bean
	InMemoryUserDetailsManager users(SecurityProperties security) {
		SecurityProperties.User user = security.getUser();
		if (user.isPasswordGenerated()) {
			System.out.println("""

					Generated password for the log viewer's user '%s', shown here only: %s
					Set spring.security.user.password to choose one.
					""".formatted(user.getName(), user.getPassword()));
		}
		String password = user.getPassword().startsWith("{") ? user.getPassword() : "{noop}" + user.getPassword();
		return new InMemoryUserDetailsManager(User.withUsername(user.getName())
			.password(password)
			.roles(user.getRoles().toArray(String[]::new))
			.build());
	}

	@Bean
	ApplicationRunner adminPasswordWarning(SecurityProperties security) {
		return (ApplicationArguments arguments) -> {
			SecurityProperties.User user = security.getUser();
			if (user.getRoles().contains("ADMIN") && !user.isPasswordGenerated()
					&& user.getPassword().length() < MIN_PASSWORD_LENGTH) {
				logger.warn("""

						****************************************************************************
						* The log viewer reveals internals, and its administrator '%s' has a weak
						* password. Set spring.security.user.password to a secret of %d or more
						* characters.
						****************************************************************************"""
					.formatted(user.getName(), MIN_PASSWORD_LENGTH));
			}
		};
	}

}
