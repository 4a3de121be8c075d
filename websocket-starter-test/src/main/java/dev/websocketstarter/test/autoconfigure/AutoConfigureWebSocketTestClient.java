package dev.websocketstarter.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Give a {@code @SpringBootTest} with a server port a {@link WebSocketTestClients} bean,
 * which opens test clients to the application's own port, and a
 * {@link dev.websocketstarter.test.registry.RegistryWaits} bean, which waits until the
 * registry shows what a test expects.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(WebSocketTestClientAutoConfiguration.class)
public @interface AutoConfigureWebSocketTestClient {

}
