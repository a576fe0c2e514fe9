package io.github.wsrobustness.demo.spring;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * A minimal Spring Boot 4 WebSocket application as a Spring team would write it: {@code
 * spring-boot-starter-websocket} on its default embedded Tomcat, {@link EnableWebSocket} and a
 * {@link WebSocketConfigurer} that maps an {@link EchoWebSocketHandler} to {@code /echo}. Nothing
 * else of Spring's or Tomcat's protocol handling is changed, so the tests see how a stock Spring
 * Boot application reacts to RFC 6455 violations.
 *
 * <p>One setting is changed, the Spring way: Tomcat buffers a whole message in a buffer of {@code
 * maxTextMessageBufferSize} characters or {@code maxBinaryMessageBufferSize} bytes (8 KiB each by
 * default) and closes with 1009 (message too big) when a message does not fit. Autobahn's section 9
 * echoes messages of up to 16 MiB, so {@link #webSocketContainer()} raises both to {@value
 * #MAX_MESSAGE_BYTES} bytes, Autobahn's largest message. Both buffers are sized to accept that, and
 * not beyond: Tomcat allocates them eagerly for every connection (about 48 MiB each here), which is
 * why a production application would keep them small or handle partial messages instead.
 *
 * <p>Listens on {@code 127.0.0.1} only: the tests say so with {@code server.address=127.0.0.1}, and
 * {@link #main}, there to run it by hand, makes that the default, because an echo server has no
 * business on other interfaces.
 *
 * <p>Thread-safety: Spring creates the beans once, at startup; the handler is stateless and shared
 * by all connections.
 */
@SpringBootApplication
@EnableWebSocket
public class EchoWebSocketApplication implements WebSocketConfigurer {
  /** Autobahn's largest message (cases 9.1.6 and 9.2.6): 16 MiB. */
  public static final int MAX_MESSAGE_BYTES = 16 << 20;

  /** Runs the application by hand: {@code ws://127.0.0.1:8080/echo}. */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(EchoWebSocketApplication.class);
    application.setDefaultProperties(Map.of("server.address", "127.0.0.1"));
    application.run(args);
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(new EchoWebSocketHandler(), "/echo");
  }

  /**
   * Configures Tomcat's {@code jakarta.websocket} container when Spring starts it; the Spring
   * reference documentation's way of changing its message buffer sizes.
   */
  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
    container.setMaxBinaryMessageBufferSize(MAX_MESSAGE_BYTES);
    return container;
  }
}
