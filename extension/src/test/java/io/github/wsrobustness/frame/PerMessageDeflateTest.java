package io.github.wsrobustness.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The offer as a header, and each rule RFC 7692 §7.1 sets on the server's answer. */
class PerMessageDeflateTest {
  @Test
  void anOfferRendersItsParametersInTheRfcsOrder() {
    assertThat(PerMessageDeflate.offer()).hasToString("permessage-deflate");
    assertThat(
            PerMessageDeflate.offer()
                .clientMaxWindowBits()
                .serverMaxWindowBits(9)
                .serverNoContextTakeover())
        .hasToString(
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=9;"
                + " client_max_window_bits");
    assertThat(PerMessageDeflate.offer().clientMaxWindowBits(10).clientNoContextTakeover())
        .hasToString("permessage-deflate; client_no_context_takeover; client_max_window_bits=10");
  }

  @Test
  void windowBitsOutsideEightToFifteenAreRefusedWithTheWayToSendThemAnyway() {
    assertThatThrownBy(() -> PerMessageDeflate.offer().serverMaxWindowBits(16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "window bits must be 8 to 15 (RFC 7692 §7.1.2), was 16; send an out-of-range value as"
                + " a header string of your own");
  }

  @Test
  void aPlainAnswerToAPlainOfferAgreesOnContextTakeoverAndFullWindows() {
    PerMessageDeflate agreed = agreed("permessage-deflate", "permessage-deflate");
    assertThat(agreed.isServerNoContextTakeover()).isFalse();
    assertThat(agreed.isClientNoContextTakeover()).isFalse();
    assertThat(agreed.serverWindowBits()).isEqualTo(15);
    assertThat(agreed.clientWindowBits()).isEqualTo(15);
  }

  @Test
  void theClientsOwnHintOfNoContextTakeoverBindsItWhateverTheAnswer() {
    // §7.1.1.2: offering it tells the server the client will not keep its context.
    assertThat(
            agreed("permessage-deflate; client_no_context_takeover", "permessage-deflate")
                .isClientNoContextTakeover())
        .isTrue();
    // Only the offer the answer accepts counts: here the first, which did not hint.
    assertThat(
            PerMessageDeflate.negotiate(
                    List.of("permessage-deflate, permessage-deflate; client_no_context_takeover"),
                    List.of("permessage-deflate"))
                .agreed()
                .isClientNoContextTakeover())
        .isFalse();
  }

  @Test
  void theServerMayAddNoContextTakeoverAndItsOwnWindowUnasked() {
    PerMessageDeflate agreed =
        agreed(
            "x-webkit-deflate-frame, permessage-deflate",
            "permessage-deflate; Server_No_Context_Takeover; client_no_context_takeover;"
                + " server_max_window_bits=\"10\"");
    assertThat(agreed.isServerNoContextTakeover()).isTrue();
    assertThat(agreed.isClientNoContextTakeover()).isTrue();
    assertThat(agreed.serverWindowBits()).isEqualTo(10);
  }

  @Test
  void noPermessageDeflateInTheAnswerIsNoAgreementAndNoProblem() {
    assertThat(PerMessageDeflate.negotiate(List.of("permessage-deflate"), List.of()))
        .isEqualTo(new PerMessageDeflate.Negotiation(null, null));
  }

  @Test
  void eachBrokenRuleOfTheAnswerIsOneSentence() {
    assertThat(problem("permessage-deflate", "permessage-deflate; foo=1"))
        .isEqualTo(
            "the server's permessage-deflate answer has the unknown parameter 'foo' (RFC 7692 §7:"
                + " fail the connection)");
    assertThat(
            problem(
                "permessage-deflate",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover"))
        .startsWith("the server's permessage-deflate answer is malformed: the parameter")
        .contains("appears twice");
    assertThat(problem("permessage-deflate", "permessage-deflate; server_no_context_takeover=1"))
        .contains("server_no_context_takeover carries a value ('1'); it takes none");
    assertThat(problem("permessage-deflate", "permessage-deflate; server_max_window_bits=16"))
        .contains("server_max_window_bits has the value '16'; an answer must give window bits");
    assertThat(problem("permessage-deflate", "permessage-deflate; server_max_window_bits=010"))
        .contains("has the value '010'");
    assertThat(problem("permessage-deflate", "permessage-deflate; client_max_window_bits=10"))
        .isEqualTo(
            "the server's answer has client_max_window_bits=10, which the client did not offer;"
                + " it must not then (RFC 7692 §7.1.2.2)");
    assertThat(
            problem(
                "permessage-deflate; client_max_window_bits",
                "permessage-deflate; client_max_window_bits"))
        .contains("client_max_window_bits has no value");
    assertThat(
            problem(
                "permessage-deflate; server_max_window_bits=9",
                "permessage-deflate; server_max_window_bits=10"))
        .isEqualTo(
            "the client asked for server_max_window_bits=9, and the server's answer has 10;"
                + " accepting the offer means a window as small or smaller (RFC 7692 §7.1.2.1)");
    assertThat(problem("permessage-deflate; server_max_window_bits=9", "permessage-deflate"))
        .contains("the server's answer leaves it out");
    assertThat(problem("permessage-deflate", "permessage-deflate, permessage-deflate"))
        .isEqualTo(
            "the server accepted permessage-deflate 2 times; it may accept one offer at most (RFC"
                + " 7692 §5)");
  }

  @Test
  void anAnswerMayAcceptAnyOfSeveralOffers() {
    // Autobahn's 13.7: the first offer asks for a small window, the last for nothing.
    String offers =
        "permessage-deflate; client_no_context_takeover; client_max_window_bits=9,"
            + " permessage-deflate; client_no_context_takeover, permessage-deflate";
    assertThat(agreed(offers, "permessage-deflate; client_max_window_bits=9").clientWindowBits())
        .isEqualTo(9);
    assertThat(agreed(offers, "permessage-deflate").clientWindowBits()).isEqualTo(15);
  }

  private static PerMessageDeflate agreed(String offer, String answer) {
    PerMessageDeflate.Negotiation negotiation =
        PerMessageDeflate.negotiate(List.of(offer), List.of(answer));
    assertThat(negotiation.problem()).isNull();
    return negotiation.agreed();
  }

  private static String problem(String offer, String answer) {
    PerMessageDeflate.Negotiation negotiation =
        PerMessageDeflate.negotiate(List.of(offer), List.of(answer));
    assertThat(negotiation.agreed()).isNull();
    return negotiation.problem();
  }
}
