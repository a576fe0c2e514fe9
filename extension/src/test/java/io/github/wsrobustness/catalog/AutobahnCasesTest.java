package io.github.wsrobustness.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The catalogue as data: Autobahn's ids and counts, scripts that build, expectations that agree.
 */
class AutobahnCasesTest {
  private static final List<CatalogueCase> ALL = AutobahnCases.all();

  @Test
  void holdsAutobahnsServerCasesOfSectionsOneToThirteenButEightAndEleven() {
    assertThat(ALL).hasSize(517);
    Map<String, Long> perSection =
        ALL.stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.section().topId(), LinkedHashMap::new, Collectors.counting()));
    assertThat(perSection)
        .containsExactly(
            Map.entry("1", 16L),
            Map.entry("2", 11L),
            Map.entry("3", 7L),
            Map.entry("4", 10L),
            Map.entry("5", 20L),
            Map.entry("6", 145L),
            Map.entry("7", 37L),
            Map.entry("9", 54L),
            Map.entry("10", 1L),
            Map.entry("12", 90L),
            Map.entry("13", 126L));
    assertThat(ALL.stream().map(CatalogueCase::id)).doesNotHaveDuplicates();
  }

  @Test
  void compressionCasesOfferTheExtensionAndCutTheirMessagesFromFixedSamples() {
    Map<String, CatalogueCase> byId =
        ALL.stream().collect(Collectors.toMap(CatalogueCase::id, c -> c));
    assertThat(byId.get("12.1.1").offers())
        .containsExactly("permessage-deflate; client_max_window_bits");
    assertThat(byId.get("13.1.1").offers())
        .containsExactly("permessage-deflate; client_no_context_takeover; client_max_window_bits");
    assertThat(byId.get("13.7.18").offers())
        .hasSize(3)
        .allSatisfy(o -> assertThat(o).startsWith("permessage-deflate; "));
    assertThat(byId.get("13.5.1").offers().get(0))
        .endsWith("; server_no_context_takeover; server_max_window_bits=9");
    assertThat(byId.get("1.1.1").offers()).isEmpty();
    assertThat(byId.get("12.5.18").rfc()).isEqualTo("RFC 7692 §7.2");

    Step.CompressedRoundTrips pdf = (Step.CompressedRoundTrips) byId.get("12.5.18").script().get(0);
    assertThat(pdf.sample().size()).isEqualTo(1_042_328);
    assertThat(pdf.text()).isFalse();
    assertThat(pdf.size()).isEqualTo(131072);
    assertThat(pdf.fragment()).isEqualTo(32768);
    assertThat(pdf.count()).isEqualTo(1000);
    // Cut one after the other, going round: the 8th message of 128 KiB wraps past the end.
    assertThat(pdf.message(1)).isEqualTo(pdf.sample().substring(131072, 262144));
    assertThat(pdf.message(7).size()).isEqualTo(131072);
    assertThat(pdf.message(7).substring(0, 1_042_328 - 7 * 131072))
        .isEqualTo(pdf.sample().substring(7 * 131072));
    assertThat(pdf.message(7).substring(1_042_328 - 7 * 131072))
        .isEqualTo(pdf.sample().substring(0, 8 * 131072 - 1_042_328));

    // Text samples are ASCII, so any cut of them is a valid text message; sizes are Autobahn's.
    Step.CompressedRoundTrips json =
        (Step.CompressedRoundTrips) byId.get("12.1.10").script().get(0);
    assertThat(json.sample()).isEqualTo(CompressionSamples.json());
    assertThat(json.sample().size()).isEqualTo(194_056);
    assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(json.sample().utf8())).isTrue();
    assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(CompressionSamples.html().utf8()))
        .isTrue();
    assertThat(CompressionSamples.bitmap().size()).isEqualTo(263_222);
    assertThat(CompressionSamples.germanText().size()).isEqualTo(222_218);
    assertThat(CompressionSamples.html().size()).isEqualTo(263_647);
  }

  @Test
  void idsBelongToTheirSectionAndNamesReadIdDashTitle() {
    for (CatalogueCase c : ALL) {
      assertThat(c.id()).as(c.id()).startsWith(c.section().id() + ".");
      assertThat(c.displayName()).isEqualTo(c.id() + " \u2014 " + c.title());
      assertThat(c.rfc()).matches("RFC (6455|7692) §.*");
      assertThat(c.description()).isNotBlank();
    }
    assertThat(ALL.get(0).displayName()).isEqualTo("1.1.1 \u2014 text frame, empty payload");
    assertThat(ALL.get(ALL.size() - 1).id()).isEqualTo("13.7.18");
  }

  @Test
  void everyScriptBuildsAndSendsSomething() {
    for (CatalogueCase c : ALL) {
      List<Step> script = c.script();
      assertThat(script).as(c.id()).isNotEmpty();
      assertThat(script.get(0))
          .as(c.id())
          .isInstanceOfAny(
              Step.Send.class,
              Step.SendBytes.class,
              Step.RoundTrips.class,
              Step.CompressedRoundTrips.class);
    }
  }

  /**
   * Each single-frame UTF-8 case (6.5–6.23) expects an echo exactly when the JDK's strict decoder
   * accepts its bytes, and a 1007 failure exactly when it refuses them: the expectations are not
   * only what we typed.
   */
  @Test
  void utf8ExpectationsAgreeWithTheJdksStrictDecoder() {
    int checked = 0;
    for (CatalogueCase c : ALL) {
      if (!c.section().topId().equals("6") || !isSingleFrame(c)) continue;
      Frame frame = ((Step.Send) c.script().get(0)).frames().get(0);
      boolean valid = decodes(frame.payload().toByteArray());
      Expectation.Kind expected = valid ? Expectation.Kind.ECHO : Expectation.Kind.FAIL;
      assertThat(c.expectation().kind()).as(c.id() + " " + c.title()).isEqualTo(expected);
      if (!valid) assertThat(c.expectation().codes()).as(c.id()).containsExactly(1007);
      assertThat(c.title()).as(c.id()).endsWith(valid ? "valid" : "invalid");
      checked++;
    }
    assertThat(checked).as("6.5 to 6.23").isEqualTo(132);
  }

  @Test
  void aWrongCloseCodeFailsTheCaseInSectionSevenOnlyAsInAutobahn() {
    for (CatalogueCase c : ALL) {
      boolean informational = c.expectation().kind() == Expectation.Kind.INFORMATIONAL;
      boolean sectionSeven = c.section().topId().equals("7") && !informational;
      assertThat(c.expectation().fatalCloses())
          .as(c.id())
          .isEqualTo(sectionSeven ? java.util.Set.of(CloseVerdict.WRONG_CODE) : java.util.Set.of());
    }
  }

  @Test
  void pausesReplacedByEventsAreSaidSo() {
    for (String id : List.of("5.19", "5.20", "6.4.1", "6.4.2", "6.4.3", "6.4.4")) {
      CatalogueCase c = ALL.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      assertThat(c.description()).as(id).contains("Autobahn pauses 1 s");
    }
  }

  private static boolean isSingleFrame(CatalogueCase c) {
    List<Step> script = c.script();
    return script.size() == 1
        && script.get(0) instanceof Step.Send send
        && send.frames().size() == 1
        && !c.id().startsWith("6.1.")
        && !c.id().startsWith("6.2.")
        && !c.id().startsWith("6.3.");
  }

  private static boolean decodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
