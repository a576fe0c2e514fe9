package io.github.wsrobustness.catalog;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import okio.Buffer;
import okio.ByteString;

/**
 * The payloads of Autobahn's sections 12 and 13, made here instead of shipped: Autobahn cuts its
 * messages from five files (a JSON document, a bitmap, a German novel, an HTML page, a PDF), which
 * are not ours to copy. Each sample here is made from a fixed seed, so a run sends the same bytes
 * every time, and has the size and the kind of redundancy of the file it stands for: text that
 * compresses well, a photograph-like bitmap that compresses a little, a PDF whose streams are
 * already compressed. The JSON and the HTML are ASCII, so any cut of them is valid UTF-8 and can go
 * as a text message.
 *
 * <p>Thread-safety: immutable; the five are made once, together, when a case first needs one: about
 * 2 MiB in all.
 */
final class CompressionSamples {
  private static final String[] WORDS = {
    "alpha", "beta", "gamma", "delta", "server", "client", "message", "frame", "socket", "value",
    "order", "status", "active", "pending", "closed", "region", "north", "south", "user", "account",
    "price", "amount", "total", "item", "label", "color", "green", "blue", "red", "large", "small"
  };

  private static final String[] GERMAN = {
    "der",
    "die",
    "das",
    "und",
    "ist",
    "nicht",
    "Größe",
    "schön",
    "Mädchen",
    "über",
    "Straße",
    "hören",
    "Bücher",
    "mußte",
    "Herz",
    "Geist",
    "Natur",
    "Menschen",
    "Welt",
    "immer",
    "wieder",
    "Glück",
    "träumen",
    "würde",
    "Tür",
    "Stunde",
    "Nacht",
    "Ewigkeit",
    "Fräulein",
    "zurück",
    "Gefühl",
    "Augenblick",
    "Himmel",
    "Erde",
    "sprach",
    "fühlte",
    "weiß",
    "Faust",
    "Mephisto"
  };

  private CompressionSamples() {}

  /** A JSON document of 194,056 ASCII bytes: an array of records (Autobahn's data1.json). */
  static ByteString json() {
    return Holder.JSON;
  }

  /** An 8-bit greyscale bitmap of 512 × 512, 263,222 bytes with its header (lena512.bmp). */
  static ByteString bitmap() {
    return Holder.BITMAP;
  }

  /** German prose of 222,218 UTF-8 bytes, umlauts and ß included (pg2229.txt, Faust). */
  static ByteString germanText() {
    return Holder.GERMAN_TEXT;
  }

  /** An HTML page of 263,647 ASCII bytes (data1.html). */
  static ByteString html() {
    return Holder.HTML;
  }

  /** A PDF-like document of 1,042,328 bytes, mostly already-compressed streams (a paper's PDF). */
  static ByteString pdf() {
    return Holder.PDF;
  }

  /** Lazily made, once: a class that holds them is loaded only when a case first needs one. */
  private static final class Holder {
    static final ByteString JSON = json(194_056);
    static final ByteString BITMAP = bitmap(512);
    static final ByteString GERMAN_TEXT = prose(222_218);
    static final ByteString HTML = html(263_647);
    static final ByteString PDF = pdf(1_042_328);
  }

  private static ByteString json(int size) {
    SplittableRandom random = new SplittableRandom(1201L);
    StringBuilder out = new StringBuilder(size + 512).append("[\n");
    for (int id = 1; out.length() < size; id++) {
      out.append("  {\"id\": ")
          .append(id)
          .append(", \"name\": \"")
          .append(word(random))
          .append(' ')
          .append(word(random))
          .append("\", \"status\": \"")
          .append(word(random))
          .append("\", \"amount\": ")
          .append(random.nextInt(100_000) / 100.0)
          .append(", \"tags\": [\"")
          .append(word(random))
          .append("\", \"")
          .append(word(random))
          .append("\"], \"active\": ")
          .append(random.nextBoolean())
          .append(", \"created\": \"2026-")
          .append(
              String.format(
                  "%02d-%02dT%02d:%02d:00Z",
                  1 + random.nextInt(12),
                  1 + random.nextInt(28),
                  random.nextInt(24),
                  random.nextInt(60)))
          .append("\"},\n");
    }
    return ascii(out, size);
  }

  private static ByteString bitmap(int side) {
    Buffer out = new Buffer();
    int header = 14 + 40 + 256 * 4;
    int pixels = side * side;
    // BITMAPFILEHEADER and BITMAPINFOHEADER, little-endian: 8 bits a pixel, a grey palette.
    out.writeUtf8("BM").writeIntLe(header + pixels).writeIntLe(0).writeIntLe(header);
    out.writeIntLe(40).writeIntLe(side).writeIntLe(side).writeShortLe(1).writeShortLe(8);
    out.writeIntLe(0).writeIntLe(pixels).writeIntLe(2835).writeIntLe(2835);
    out.writeIntLe(256).writeIntLe(0);
    for (int grey = 0; grey < 256; grey++) {
      out.writeByte(grey).writeByte(grey).writeByte(grey).writeByte(0);
    }
    // Smooth shapes and a little noise: a photograph compresses a little, not like text.
    SplittableRandom random = new SplittableRandom(1202L);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double shade =
            128
                + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0)
                + 40 * Math.sin((x + y) / 71.0)
                + random.nextInt(-6, 7);
        out.writeByte((int) Math.max(0, Math.min(255, shade)));
      }
    }
    return out.readByteString();
  }

  private static ByteString prose(int size) {
    SplittableRandom random = new SplittableRandom(1203L);
    Buffer out = new Buffer();
    while (out.size() < size) {
      int words = 6 + random.nextInt(14);
      for (int i = 0; i < words; i++) {
        String word = GERMAN[random.nextInt(GERMAN.length)];
        if (i == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        out.writeUtf8(word).writeUtf8(i == words - 1 ? "." : " ");
      }
      out.writeUtf8(random.nextInt(5) == 0 ? "\r\n\r\n" : " ");
    }
    // Cut to the size; the bytes go as binary messages, so a split letter is no harm.
    return out.readByteString().substring(0, size);
  }

  private static ByteString html(int size) {
    SplittableRandom random = new SplittableRandom(1204L);
    StringBuilder out = new StringBuilder(size + 512);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">")
        .append("<title>Sample</title></head>\n<body>\n");
    for (int row = 1; out.length() < size; row++) {
      out.append("<div class=\"row ")
          .append(word(random))
          .append("\" id=\"r")
          .append(row)
          .append("\">\n  <a href=\"/")
          .append(word(random))
          .append('/')
          .append(random.nextInt(10_000))
          .append("\">")
          .append(word(random))
          .append("</a>\n  <p>");
      int words = 5 + random.nextInt(20);
      for (int i = 0; i < words; i++) out.append(word(random)).append(' ');
      out.append("</p>\n</div>\n");
    }
    return ascii(out, size);
  }

  private static ByteString pdf(int size) {
    SplittableRandom random = new SplittableRandom(1205L);
    Buffer out = new Buffer();
    out.writeUtf8("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    for (int object = 1; out.size() < size; object++) {
      if (object % 3 == 0) {
        out.writeUtf8(object + " 0 obj\n<< /Type /Page /Parent 2 0 R /Contents ")
            .writeUtf8((object + 1) + " 0 R >>\nendobj\n");
        continue;
      }
      // A stream of random bytes: what FlateDecode has already compressed does not shrink.
      int length = 2_000 + random.nextInt(14_000);
      byte[] stream = new byte[length];
      for (int i = 0; i < length; i++) stream[i] = (byte) random.nextInt(256);
      out.writeUtf8(object + " 0 obj\n<< /Length " + length + " /Filter /FlateDecode >>\nstream\n")
          .write(stream)
          .writeUtf8("\nendstream\nendobj\n");
    }
    return out.readByteString().substring(0, size);
  }

  private static String word(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  /** The first {@code size} characters of {@code text}, which is ASCII, as bytes. */
  private static ByteString ascii(StringBuilder text, int size) {
    return ByteString.of(text.substring(0, size).getBytes(StandardCharsets.US_ASCII));
  }
}
