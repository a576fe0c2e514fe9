package io.github.wsrobustness;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a size the way a person writes one in a setting: {@code 65536}, {@code 64KiB}, {@code 32
 * MiB}, {@code 1GiB} (powers of 1024), or {@code 100kB}, {@code 10MB}, {@code 1GB} (powers of 1000,
 * as the SI prefixes mean). Digits may be grouped with {@code _}.
 *
 * <p>Thread-safety: stateless.
 */
final class ByteSize {
  private static final Pattern SIZE =
      Pattern.compile("(\\d[\\d_]*)\\s*(b|kib|mib|gib|kb|mb|gb)?", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /**
   * The size {@code text} names, or empty when it names none (or more than {@code Long.MAX_VALUE}).
   */
  static OptionalLong parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) return OptionalLong.empty();
    long unit =
        switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
          case "kib" -> 1L << 10;
          case "mib" -> 1L << 20;
          case "gib" -> 1L << 30;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          default -> 1L;
        };
    try {
      return OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1).replace("_", "")), unit));
    } catch (ArithmeticException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
