package io.github.wsrobustness.frame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of the permessage-deflate extension (RFC 7692 §7): an offer the client renders
 * into {@code Sec-WebSocket-Extensions} ({@code PerMessageDeflate.offer().clientMaxWindowBits()}),
 * or what a server's answer agreed on ({@link #negotiate}), with each of the RFC's rules for that
 * answer checked in one sentence.
 *
 * <p>{@code server_no_context_takeover} and {@code client_no_context_takeover} reset a side's
 * compression context after each message (§7.1.1); {@code server_max_window_bits} and {@code
 * client_max_window_bits} bound a side's LZ77 window to 2^8–2^15 bytes (§7.1.2). An offer that
 * breaks the RFC on purpose is a header string of its own: the writer is permissive there.
 *
 * <p>Thread-safety: immutable.
 */
public final class PerMessageDeflate {
  /** The extension's token. */
  public static final String NAME = "permessage-deflate";

  /** The largest LZ77 window, and the one used when no window bits are agreed: 2^15 bytes. */
  public static final int MAX_WINDOW_BITS = 15;

  /** The smallest window bits the RFC allows: 8. */
  public static final int MIN_WINDOW_BITS = 8;

  private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
  private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
  private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
  private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

  /** No value given: {@code client_max_window_bits} alone, in an offer. */
  private static final int NO_VALUE = 0;

  /** Not present. */
  private static final int ABSENT = -1;

  private final boolean serverNoContextTakeover;
  private final boolean clientNoContextTakeover;
  private final int serverMaxWindowBits;
  private final int clientMaxWindowBits;

  private PerMessageDeflate(
      boolean serverNoContextTakeover,
      boolean clientNoContextTakeover,
      int serverMaxWindowBits,
      int clientMaxWindowBits) {
    this.serverNoContextTakeover = serverNoContextTakeover;
    this.clientNoContextTakeover = clientNoContextTakeover;
    this.serverMaxWindowBits = serverMaxWindowBits;
    this.clientMaxWindowBits = clientMaxWindowBits;
  }

  /** The plain offer, {@code permessage-deflate}: both sides keep their context and full window. */
  public static PerMessageDeflate offer() {
    return new PerMessageDeflate(false, false, ABSENT, ABSENT);
  }

  /** A copy asking the server to reset its context after each message (§7.1.1.1). */
  public PerMessageDeflate serverNoContextTakeover() {
    return new PerMessageDeflate(
        true, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
  }

  /** A copy saying the client resets its context after each message (§7.1.1.2). */
  public PerMessageDeflate clientNoContextTakeover() {
    return new PerMessageDeflate(
        serverNoContextTakeover, true, serverMaxWindowBits, clientMaxWindowBits);
  }

  /** A copy asking the server for a window of at most 2^{@code bits} bytes (§7.1.2.1). */
  public PerMessageDeflate serverMaxWindowBits(int bits) {
    return new PerMessageDeflate(
        serverNoContextTakeover, clientNoContextTakeover, checkBits(bits), clientMaxWindowBits);
  }

  /** A copy saying the client can take a limit on its own window, with no value (§7.1.2.2). */
  public PerMessageDeflate clientMaxWindowBits() {
    return new PerMessageDeflate(
        serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, NO_VALUE);
  }

  /** A copy saying the client's window is at most 2^{@code bits} bytes (§7.1.2.2). */
  public PerMessageDeflate clientMaxWindowBits(int bits) {
    return new PerMessageDeflate(
        serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, checkBits(bits));
  }

  private static int checkBits(int bits) {
    if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
      throw new IllegalArgumentException(
          "window bits must be 8 to 15 (RFC 7692 §7.1.2), was "
              + bits
              + "; send an out-of-range value as a header string of your own");
    }
    return bits;
  }

  /** Whether the server resets its compression context after each message. */
  public boolean isServerNoContextTakeover() {
    return serverNoContextTakeover;
  }

  /** Whether the client resets its compression context after each message. */
  public boolean isClientNoContextTakeover() {
    return clientNoContextTakeover;
  }

  /** The server's window bits: as agreed or offered, else {@value #MAX_WINDOW_BITS}. */
  public int serverWindowBits() {
    return serverMaxWindowBits > 0 ? serverMaxWindowBits : MAX_WINDOW_BITS;
  }

  /** The client's window bits: as agreed or offered, else {@value #MAX_WINDOW_BITS}. */
  public int clientWindowBits() {
    return clientMaxWindowBits > 0 ? clientMaxWindowBits : MAX_WINDOW_BITS;
  }

  /** The offer as an element of {@code Sec-WebSocket-Extensions}: {@code permessage-deflate; …}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(NAME);
    if (serverNoContextTakeover) out.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
    if (clientNoContextTakeover) out.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
    if (serverMaxWindowBits != ABSENT) {
      out.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(serverMaxWindowBits);
    }
    if (clientMaxWindowBits == NO_VALUE) out.append("; ").append(CLIENT_MAX_WINDOW_BITS);
    if (clientMaxWindowBits > 0) {
      out.append("; ").append(CLIENT_MAX_WINDOW_BITS).append('=').append(clientMaxWindowBits);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PerMessageDeflate other
        && serverNoContextTakeover == other.serverNoContextTakeover
        && clientNoContextTakeover == other.clientNoContextTakeover
        && serverMaxWindowBits == other.serverMaxWindowBits
        && clientMaxWindowBits == other.clientMaxWindowBits;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
  }

  /**
   * What a server's answer agreed on: the parameters, or null when it accepted no
   * permessage-deflate; or why the client must fail the connection (RFC 7692 §5, §7.1).
   *
   * @param agreed the parameters both sides use, or null
   * @param problem one sentence, or null
   */
  public record Negotiation(PerMessageDeflate agreed, String problem) {}

  /**
   * Checks the server's {@code Sec-WebSocket-Extensions} answer against the client's offers (both
   * as header values, each a comma-separated list) and says what was agreed. The answer may accept
   * one permessage-deflate offer at most, with known parameters, each at most once and with a valid
   * value; it may add {@code server_no_context_takeover}, {@code client_no_context_takeover} and
   * {@code server_max_window_bits}, but {@code client_max_window_bits} only when an offer carried
   * it; a window asked of the server must be answered with one as small or smaller. An offer the
   * answer accepts that carried {@code client_no_context_takeover} binds the client even where the
   * answer leaves it out (§7.1.1.2: the client told the server it would not keep its context).
   */
  public static Negotiation negotiate(List<String> offerValues, List<String> answerValues) {
    List<Map<String, String>> answers = elements(answerValues);
    if (answers.isEmpty()) return new Negotiation(null, null);
    if (answers.size() > 1) {
      return problem(
          "the server accepted permessage-deflate "
              + answers.size()
              + " times; it may accept one offer at most (RFC 7692 §5)");
    }
    Map<String, String> answer = answers.get(0);
    if (answer.containsKey(null)) {
      return problem("the server's permessage-deflate answer is malformed: " + answer.get(null));
    }
    boolean serverReset = false;
    boolean clientReset = false;
    int serverBits = ABSENT;
    int clientBits = ABSENT;
    for (Map.Entry<String, String> parameter : answer.entrySet()) {
      String name = parameter.getKey();
      String value = parameter.getValue();
      switch (name) {
        case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
          if (value != null) {
            return problem(
                "the server's permessage-deflate parameter "
                    + name
                    + " carries a value ('"
                    + value
                    + "'); it takes none (RFC 7692 §7.1.1)");
          }
          if (name.equals(SERVER_NO_CONTEXT_TAKEOVER)) serverReset = true;
          else clientReset = true;
        }
        case SERVER_MAX_WINDOW_BITS, CLIENT_MAX_WINDOW_BITS -> {
          int bits = windowBits(value);
          if (bits < 0) {
            return problem(
                "the server's permessage-deflate parameter "
                    + name
                    + (value == null ? " has no value" : " has the value '" + value + "'")
                    + "; an answer must give window bits from 8 to 15 (RFC 7692 §7.1.2)");
          }
          if (name.equals(SERVER_MAX_WINDOW_BITS)) serverBits = bits;
          else clientBits = bits;
        }
        default -> {
          return problem(
              "the server's permessage-deflate answer has the unknown parameter '"
                  + name
                  + "' (RFC 7692 §7: fail the connection)");
        }
      }
    }
    // The answer must fit one of the offers (§7.1.2): the client's window only where offered,
    // and the server's no wider than asked.
    String misfit = null;
    for (Map<String, String> offer : elements(offerValues)) {
      misfit = misfit(offer, serverBits, clientBits);
      if (misfit == null) {
        boolean hinted = offer.containsKey(CLIENT_NO_CONTEXT_TAKEOVER);
        return new Negotiation(
            new PerMessageDeflate(serverReset, clientReset || hinted, serverBits, clientBits),
            null);
      }
    }
    return problem(
        misfit != null
            ? misfit
            : "the server accepted permessage-deflate, which the client did not offer");
  }

  /** Why an answer with these window bits does not accept {@code offer}, or null: it does. */
  private static String misfit(Map<String, String> offer, int serverBits, int clientBits) {
    if (offer.containsKey(null)) return "the client's offer is malformed: " + offer.get(null);
    if (clientBits != ABSENT && !offer.containsKey(CLIENT_MAX_WINDOW_BITS)) {
      return "the server's answer has client_max_window_bits="
          + clientBits
          + ", which the client did not offer; it must not then (RFC 7692 §7.1.2.2)";
    }
    int offeredClient = windowBits(offer.get(CLIENT_MAX_WINDOW_BITS));
    if (clientBits != ABSENT && offeredClient > 0 && clientBits > offeredClient) {
      return "the server's answer has client_max_window_bits="
          + clientBits
          + ", wider than the "
          + offeredClient
          + " offered (RFC 7692 §7.1.2.2)";
    }
    if (offer.containsKey(SERVER_MAX_WINDOW_BITS)) {
      int asked = windowBits(offer.get(SERVER_MAX_WINDOW_BITS));
      if (serverBits == ABSENT || serverBits > asked) {
        return "the client asked for server_max_window_bits="
            + asked
            + ", and the server's answer "
            + (serverBits == ABSENT ? "leaves it out" : "has " + serverBits)
            + "; accepting the offer means a window as small or smaller (RFC 7692 §7.1.2.1)";
      }
    }
    return null;
  }

  /** Window bits 8–15 from a value (quoted or not), or -1. */
  private static int windowBits(String value) {
    if (value == null) return -1;
    String digits =
        value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
            ? value.substring(1, value.length() - 1)
            : value;
    if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int bits = Integer.parseInt(digits);
    return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : -1;
  }

  /**
   * The permessage-deflate elements of these header values, each its parameters by lower-cased name
   * (value null when none); a duplicate or empty parameter yields the key null with why.
   */
  private static List<Map<String, String>> elements(List<String> headerValues) {
    List<Map<String, String>> found = new ArrayList<>();
    for (String header : headerValues) {
      for (String element : header.split(",")) {
        String[] parts = element.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) continue;
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
          String part = parts[i].trim();
          int equals = part.indexOf('=');
          String name =
              (equals < 0 ? part : part.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
          String value = equals < 0 ? null : part.substring(equals + 1).trim();
          if (name.isEmpty()) {
            parameters.put(null, "an empty parameter in '" + element.trim() + "'");
          } else if (parameters.containsKey(name)) {
            parameters.put(
                null,
                "the parameter "
                    + name
                    + " appears twice in '"
                    + element.trim()
                    + "'; each may appear once (RFC 7692 §7)");
          } else {
            parameters.put(name, value);
          }
        }
        found.add(parameters);
      }
    }
    return found;
  }

  private static Negotiation problem(String why) {
    return new Negotiation(null, why);
  }
}
