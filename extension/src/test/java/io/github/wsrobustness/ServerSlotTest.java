package io.github.wsrobustness;

import static io.github.wsrobustness.TestKit.childrenRunning;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which deaths of a class's launched server a test answers for, and which are reported after the
 * class: servers are killed here by PID, at moments a test cannot choose on a real server.
 */
class ServerSlotTest {

  private static ServerSlot slot(String marker) {
    LaunchedServer.Spec spec =
        LaunchedServerTest.spec("{port} " + marker, Pattern.compile("ready on port (\\d+)"));
    return new ServerSlot(() -> LaunchedServer.start(spec));
  }

  private static void kill(LaunchedServer server) throws InterruptedException {
    server.process().destroyForcibly();
    server.process().waitFor();
  }

  @Test
  void aDeathNoTestAnswersForIsReportedOnceAfterTheClass() throws InterruptedException {
    try (ServerSlot slot = slot("slot-unanswered")) {
      LaunchedServer first = slot.live("the class's first use");
      assertThat(slot.live("test a")).isSameAs(first);
      kill(first); // between tests: after a's check, before b starts

      LaunchedServer second = slot.live("test b");
      assertThat(second).isNotSameAs(first);
      assertThat(second.isRunning()).isTrue();
      assertThat(slot.unansweredDeaths())
          .singleElement()
          .asString()
          .matches("(?s)process `[^`]+ slot-unanswered` exited with code 137.*")
          .endsWith("(found dead before test b)");
      assertThat(slot.unansweredDeaths()).as("reported once").isEmpty();

      kill(second); // after the last test
      assertThat(slot.unansweredDeaths())
          .singleElement()
          .asString()
          .endsWith("(found dead after the last test)");
    }
    assertThat(childrenRunning("slot-unanswered")).isEmpty();
  }

  @Test
  void aDeathATestAnswersForIsNotReportedAgainEvenWhenFoundFirstByAnother()
      throws InterruptedException {
    try (ServerSlot slot = slot("slot-answered")) {
      LaunchedServer first = slot.live("test a");
      kill(first);
      // Test b, running beside a, starts before a's check blamed a for the death.
      LaunchedServer second = slot.live("test b");
      slot.blame(first);
      assertThat(slot.isBlamed(first)).isTrue();
      assertThat(slot.isBlamed(second)).isFalse();
      assertThat(slot.unansweredDeaths()).isEmpty();
    }
    assertThat(childrenRunning("slot-answered")).isEmpty();
  }
}
