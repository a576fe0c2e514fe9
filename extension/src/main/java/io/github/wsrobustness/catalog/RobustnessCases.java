package io.github.wsrobustness.catalog;

import io.github.wsrobustness.frame.Frame;
import java.util.List;
import okio.ByteString;

/**
 * The catalogue's own cases, beyond Autobahn|Testsuite's: what real servers failed in the wild and
 * Autobahn has no case for. Their ids are the project's own, {@code R<family>.<n>}, so that they
 * never collide with Autobahn's numeric sections. Each names the RFC 6455 clause it checks and, in
 * its description, the kind of bug it stands for.
 *
 * <ul>
 *   <li>R1 Unmasked client frames (§5.1: a server must fail the connection on a frame its client
 *       did not mask). Autobahn's client always masks, so no Autobahn case sends one; Node's {@code
 *       ws} without an {@code error} listener dies of it, Java-WebSocket 1.6 echoes it.
 * </ul>
 *
 * <p>Thread-safety: the list is immutable; scripts are made fresh for each run.
 */
public final class RobustnessCases {
  /**
   * Why every R1 case expects what it does. Unlike Autobahn's sections 1–6, a wrong close code
   * fails these cases: the issue is exactly whether the server sees the violation for what it is.
   */
  private static final String UNMASKED_WHY =
      " RFC 6455 §5.1: the server MUST close the connection on an unmasked client frame (1002); a"
          + " server must also not die of it, as Node's ws does without an error listener.";

  private static final List<CatalogueCase> ALL = build();

  private final CaseList list = new CaseList();

  private RobustnessCases() {}

  /** Every case, family by family. */
  public static List<CatalogueCase> all() {
    return ALL;
  }

  private static List<CatalogueCase> build() {
    RobustnessCases b = new RobustnessCases();
    b.unmaskedFrames();
    return b.list.cases();
  }

  // -----------------------------------------------------------------------------------------------
  // R1 Unmasked client frames

  private void unmaskedFrames() {
    list.top("R1 Unmasked client frames");
    list.sub("R1", "Unmasked client frames");
    ByteString hello = ByteString.encodeUtf8("Hello, world!");
    unmasked(
        "R1.1", "unmasked text frame", "A short text frame without a mask.", Frame.text(hello));
    unmasked(
        "R1.2",
        "unmasked binary frame",
        "A short binary frame without a mask.",
        Frame.binary(hello));
    unmasked(
        "R1.3",
        "unmasked ping",
        "A ping without a mask: no pong is due, the connection fails.",
        Frame.ping(hello));
    unmasked("R1.4", "unmasked pong", "An unsolicited pong without a mask.", Frame.pong(hello));
    unmasked(
        "R1.5",
        "unmasked close frame",
        "A close frame (1000) without a mask: not a close to answer, but a frame to fail on.",
        Frame.close(1000, ""));
    list.add(
        "R1.6",
        "masked first fragment, then an unmasked continuation",
        "§5.1",
        "A masked text fragment (FIN clear), then the rest of the message as an unmasked"
            + " continuation: the message must not be delivered."
            + UNMASKED_WHY,
        () ->
            List.of(
                Step.send(
                    Writes.oneWrite(),
                    Frame.text(hello).fin(false),
                    Frame.continuation(hello).unmasked())),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
    list.add(
        "R1.7",
        "masked first fragment, an unmasked ping, then the last fragment",
        "§5.1",
        "A masked text fragment (FIN clear), an unmasked ping between the fragments, then the masked"
            + " last fragment: no pong and no message are due."
            + UNMASKED_WHY,
        () ->
            List.of(
                Step.send(
                    Writes.oneWrite(),
                    Frame.text(hello).fin(false),
                    Frame.ping(hello).unmasked(),
                    Frame.continuation(hello))),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }

  private void unmasked(String id, String title, String description, Frame frame) {
    list.add(
        id,
        title,
        "§5.1",
        description + UNMASKED_WHY,
        () -> List.of(Step.send(frame.unmasked())),
        Expectation.fail(List.of(), 1002).fatalOn(CloseVerdict.WRONG_CODE));
  }
}
