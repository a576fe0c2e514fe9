package io.github.wsrobustness.demo.spring;

import java.io.IOException;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Sends every text message back as text and every binary message back as binary, whole: it does not
 * support partial messages, so Tomcat assembles each message (up to the container's buffer sizes)
 * before handing it over. Pings are answered by Tomcat itself.
 *
 * <p>Thread-safety: stateless, so one instance serves every connection. Tomcat delivers a
 * connection's messages one at a time, on the thread that reads it, so the {@link
 * WebSocketSession#sendMessage} calls of one session never overlap (Spring's sessions are not safe
 * for concurrent sends).
 */
public class EchoWebSocketHandler extends AbstractWebSocketHandler {
  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message)
      throws IOException {
    session.sendMessage(message);
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message)
      throws IOException {
    session.sendMessage(message);
  }
}
