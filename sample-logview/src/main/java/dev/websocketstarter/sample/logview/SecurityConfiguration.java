package dev.websocketstarter.sample.logview;

import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
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

	private static final Set<String> WEAK_PASSWORDS = Set.of("admin", "password", "changeit", "secret", "123456");

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

	@Bean
	ApplicationRunner adminPasswordWarning(SecurityProperties security) {
		return (ApplicationArguments arguments) -> {
			SecurityProperties.User user = security.getUser();
			if (user.isPasswordGenerated() || WEAK_PASSWORDS.contains(user.getPassword())) {
				logger.warn("""

						****************************************************************************
						* The log viewer reveals internals, and its administrator '%s' has a
						* %s password. Set spring.security.user.password to a strong secret.
						****************************************************************************"""
					.formatted(user.getName(), user.isPasswordGenerated() ? "generated (see above)" : "well-known"));
			}
		};
	}

}
