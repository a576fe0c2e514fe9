package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every README sample that names its source in demo-tests is that source: its lines appear there,
 * in order, so a sample cannot drift from code that compiles and passes.
 */
class ReadmeSamplesTest {
  private static final Pattern SAMPLE =
      Pattern.compile(
          "\\(from \\[`\\w+`\\]\\((demo-tests/[^)]+\\.java)\\)\\):\\s*```java\\n(.*?)```",
          Pattern.DOTALL);

  @Test
  void samplesAreCopiedFromTheDemoTests() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    Matcher sample = SAMPLE.matcher(readme);
    int samples = 0;
    while (sample.find()) {
      samples++;
      List<String> source = Files.readAllLines(root.resolve(sample.group(1)));
      int at = 0;
      for (String line : sample.group(2).lines().filter(l -> !l.isBlank()).toList()) {
        while (at < source.size() && !source.get(at).equals(line)) at++;
        assertThat(at)
            .as("README line \"%s\" of the sample from %s, in order", line, sample.group(1))
            .isLessThan(source.size());
        at++;
      }
    }
    assertThat(samples).as("samples in README.md that name their source").isGreaterThanOrEqualTo(2);
  }
}
