package io.github.wsrobustness;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The {@link UpgradeRequest}s that apply to a client, merged: headers and redactions accumulate
 * from the outermost annotation in; subprotocols, extensions and {@code Origin} come from the
 * innermost annotation that sets them. Checked when read: a header without a colon is named with
 * its fix before any socket opens.
 *
 * <p>Thread-safety: immutable.
 */
final class UpgradeOptions {
  static final UpgradeOptions NONE =
      new UpgradeOptions(List.of(), List.of(), List.of(), "", List.of());

  private final List<String[]> headers; // name, value
  private final List<String> subprotocols;
  private final List<String> extensions;
  private final String origin;
  private final List<String> redacted;

  private UpgradeOptions(
      List<String[]> headers,
      List<String> subprotocols,
      List<String> extensions,
      String origin,
      List<String> redacted) {
    this.headers = headers;
    this.subprotocols = subprotocols;
    this.extensions = extensions;
    this.origin = origin;
    this.redacted = redacted;
  }

  /** Options given in code: the {@link WebSocketRobustnessExtension.Builder}'s. */
  static UpgradeOptions of(
      List<String[]> headers,
      List<String> subprotocols,
      List<String> extensions,
      String origin,
      List<String> redacted) {
    return new UpgradeOptions(
        List.copyOf(headers),
        List.copyOf(subprotocols),
        List.copyOf(extensions),
        origin,
        List.copyOf(redacted));
  }

  /** The options of {@code element}'s {@link UpgradeRequest} added to these, or these. */
  UpgradeOptions with(AnnotatedElement element, String where) {
    return AnnotationSupport.findAnnotation(element, UpgradeRequest.class)
        .map(request -> with(request, where))
        .orElse(this);
  }

  private UpgradeOptions with(UpgradeRequest request, String where) {
    List<String[]> allHeaders = new ArrayList<>(headers);
    for (String header : request.headers()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new ExtensionConfigurationException(
            "@UpgradeRequest(headers) on "
                + where
                + " has '"
                + header
                + "', which is no header; write it as \"Name: value\"");
      }
      allHeaders.add(
          new String[] {header.substring(0, colon).trim(), header.substring(colon + 1).trim()});
    }
    List<String> allRedacted = new ArrayList<>(redacted);
    allRedacted.addAll(List.of(request.redactHeaders()));
    return new UpgradeOptions(
        List.copyOf(allHeaders),
        request.subprotocols().length > 0 ? List.of(request.subprotocols()) : subprotocols,
        request.extensions().length > 0 ? List.of(request.extensions()) : extensions,
        request.origin().isEmpty() ? origin : request.origin(),
        List.copyOf(allRedacted));
  }

  /** {@code builder} with these options. */
  RawWebSocketClient.Builder applyTo(RawWebSocketClient.Builder builder) {
    for (String name : redacted) builder.redactHeader(name);
    for (String[] header : headers) builder.header(header[0], header[1]);
    if (!subprotocols.isEmpty()) builder.subprotocols(subprotocols.toArray(new String[0]));
    if (!extensions.isEmpty()) builder.extensions(extensions.toArray(new String[0]));
    if (!origin.isEmpty()) builder.origin(origin);
    return builder;
  }
}
