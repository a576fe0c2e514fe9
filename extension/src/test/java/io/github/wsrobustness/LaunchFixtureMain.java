package io.github.wsrobustness;

import java.util.concurrent.CountDownLatch;

/**
 * Server processes that misbehave at start-up, for the launcher's tests: {@code exit} writes a line
 * to stderr and exits with code 7; {@code hang} writes a line and never becomes ready.
 */
public final class LaunchFixtureMain {
  private LaunchFixtureMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args[0].equals("exit")) {
      System.err.println("cannot start: no configuration found");
      System.exit(7);
    }
    System.out.println("starting, but never ready");
    new CountDownLatch(1).await(); // until the extension kills the process
  }
}
