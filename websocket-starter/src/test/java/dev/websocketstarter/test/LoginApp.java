package dev.websocketstarter.test;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A login without Spring Security, for tests of what a channel knows of its user. A
 * filter gives each request a principal: the user its HTTP session logged in as, or else
 * the one named by the query parameter {@code user}, as a token would, with no session.
 * Endpoints, all {@code POST}, answer with the session id: {@code /login?name=...} logs
 * in, {@code /visit} makes a session without a user, {@code /rotate} changes the session
 * id as Spring Security does at login, {@code /logout} invalidates the session.
 */
@Configuration(proxyBeanMethods = false)
public class LoginApp {

	/** The session attribute that holds the name of the user who logged in. */
	public static final String USER = "user";

	@Bean
	PrincipalFilter principalFilter() {
		return new PrincipalFilter();
	}

	static final class PrincipalFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String user = user(request);
			chain.doFilter((user != null) ? new AuthenticatedRequest(request, user) : request, response);
		}

		private static @Nullable String user(HttpServletRequest request) {
			HttpSession session = request.getSession(false);
			if (session != null && session.getAttribute(USER) instanceof String user) {
				return user;
			}
			return request.getParameter("user");
		}

	}

	static final class AuthenticatedRequest extends HttpServletRequestWrapper {

		private final Principal principal;

		AuthenticatedRequest(HttpServletRequest request, String user) {
			super(request);
			this.principal = () -> user;
		}

		@Override
		public Principal getUserPrincipal() {
			return this.principal;
		}

		@Override
		public String getRemoteUser() {
			return this.principal.getName();
		}

	}

	/**
	 * Registered as a member class of the configuration.
	 */
	@RestController
	static class LoginController {

		@PostMapping("/login")
		String login(@RequestParam String name, HttpServletRequest request) {
			HttpSession session = request.getSession();
			session.setAttribute(USER, name);
			return session.getId();
		}

		@PostMapping("/visit")
		String visit(HttpServletRequest request) {
			return request.getSession().getId();
		}

		@PostMapping("/rotate")
		String rotate(HttpServletRequest request) {
			return request.changeSessionId();
		}

		@PostMapping("/logout")
		String logout(HttpServletRequest request) {
			HttpSession session = request.getSession(false);
			if (session == null) {
				return "";
			}
			String id = session.getId();
			session.invalidate();
			return id;
		}

	}

}
