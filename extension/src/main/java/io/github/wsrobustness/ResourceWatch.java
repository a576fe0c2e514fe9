package io.github.wsrobustness;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a server's memory, threads and descriptors through one catalogue case: the figures before
 * it, at its peak, and after it. For a process (a launched server, or one found listening on a
 * loopback port), the peak is the highest resident memory of its process tree, sampled every
 * {@value #SAMPLE_EVERY_MS} ms while the case runs and once more when its input is sent. For a
 * server in the test's own JVM, the figure is the heap after a garbage collection: before the case,
 * once its input is sent (what the server kept of it is live then), and after it; and, for what the
 * server held only for a moment (a buffer of a declared size, dropped when the connection fails),
 * the peak of the heap's old generation, where large arrays and what survives a young collection
 * go. Samples of the whole heap would count the young generation's garbage.
 *
 * <p>A case whose growth passes the budget is failed by the runner, with these figures; resources
 * that do not come back after the case are reported, not failed: a runtime may keep memory it no
 * longer uses (a JVM's heap, a glibc arena).
 *
 * <p>Thread-safety: used by the thread running one case; the sampler thread only raises the peak.
 */
final class ResourceWatch {
  static final long SAMPLE_EVERY_MS = 10;

  private final ResourceProbe probe;
  private final ResourceSample before;
  private final AtomicLong peakResident = new AtomicLong(-1);
  private final ScheduledExecutorService sampler;
  private ResourceSample inputSent;

  /** The old generation's use right after the collection before the case; -1: not watched. */
  private final long oldBefore;

  /** Whether every collection asked for ran: without one, heap figures count garbage. */
  private boolean collected = true;

  private ResourceWatch(ResourceProbe probe) {
    this.probe = probe;
    this.before = settled();
    // Only a collector with a young generation apart has an old one whose peak means anything.
    boolean generational =
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
            .anyMatch(p -> p.getName().matches("(?i).*(eden|young).*"));
    if (before.residentBytes() < 0 && before.heapBytes() >= 0 && generational) {
      oldBefore = oldGeneration(false);
      for (java.lang.management.MemoryPoolMXBean pool : oldPools()) pool.resetPeakUsage();
    } else {
      oldBefore = -1;
    }
    if (before.residentBytes() >= 0) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "wsrobustness-resource-sampler");
                thread.setDaemon(true);
                return thread;
              });
      sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY_MS, TimeUnit.MILLISECONDS);
    } else {
      sampler = null;
    }
  }

  /** Takes the figures before a case and starts sampling. */
  static ResourceWatch start(ResourceProbe probe) {
    return new ResourceWatch(probe);
  }

  /** The case's input is all sent: what the server kept of it is held now. */
  void inputSent() {
    if (inputSent == null) {
      inputSent = settled();
      peakResident.accumulateAndGet(inputSent.residentBytes(), Math::max);
    }
  }

  /** Stops sampling; idempotent. Called however the case ended, an Error too. */
  void stopSampling() {
    if (sampler != null) sampler.shutdownNow();
  }

  /** Stops sampling and takes the figures after the case. */
  Figures finish() {
    stopSampling();
    ResourceSample after = settled();
    // After that collection: a pool's peak is recorded when a collection starts, so this one
    // records what the old generation held, garbage or not, since the last.
    long oldPeak = oldBefore < 0 ? -1 : Math.max(0, oldGeneration(true) - oldBefore);
    return new Figures(
        probe.describe(), before, inputSent, peakResident.get(), oldPeak, after, collected);
  }

  /** The probe's settled figures, noting whether a collection ran for heap figures. */
  private ResourceSample settled() {
    long runs = collections();
    ResourceSample sample = probe.settled();
    if (sample.heapBytes() >= 0 && sample.residentBytes() < 0 && collections() == runs) {
      collected = false;
    }
    return sample;
  }

  private static long collections() {
    long sum = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionCount());
    }
    return sum;
  }

  /** The heap pools of the old generation: all but the young ones (Eden, Survivor, Young). */
  private static List<java.lang.management.MemoryPoolMXBean> oldPools() {
    return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.isValid())
        .filter(p -> !p.getName().matches("(?i).*(eden|survivor|young).*"))
        .toList();
  }

  /** The old generation's use now, or its peak since the reset. */
  private static long oldGeneration(boolean peak) {
    long sum = 0;
    for (java.lang.management.MemoryPoolMXBean pool : oldPools()) {
      java.lang.management.MemoryUsage usage = peak ? pool.getPeakUsage() : pool.getUsage();
      if (usage != null) sum += usage.getUsed();
    }
    return sum;
  }

  private void sample() {
    long resident = probe.sample().residentBytes();
    peakResident.accumulateAndGet(resident, Math::max);
  }

  /**
   * What a watch saw.
   *
   * @param what what was watched, from {@link ResourceProbe#describe()}
   * @param before the figures before the case
   * @param inputSent the figures once the input was sent, or null if the case ended before
   * @param peakResident the highest resident memory sampled, or -1 (a JVM's heap is watched)
   * @param oldGrowth how far the old generation's peak rose above its use before the case, or -1 (a
   *     process is watched)
   * @param after the figures after the case
   * @param measured false when heap figures are unsound: a collection asked for did not run
   */
  record Figures(
      String what,
      ResourceSample before,
      ResourceSample inputSent,
      long peakResident,
      long oldGrowth,
      ResourceSample after,
      boolean measured) {
    /** Whether resident memory was watched (a process), not the heap (this JVM). */
    boolean resident() {
      return before.residentBytes() >= 0;
    }

    /** How much the watched memory grew from before the case to its peak (the end included). */
    long growth() {
      if (resident()) {
        long peak = Math.max(peakResident, after.residentBytes());
        return Math.max(0, peak - before.residentBytes());
      }
      long held = Math.max(inputSent != null ? inputSent.heapBytes() : 0, after.heapBytes());
      return Math.max(0, Math.max(held - before.heapBytes(), oldGrowth));
    }

    /**
     * Why the case fails: {@code "resident memory grew 412 MiB during the case; budget 64 MiB"}.
     */
    String overBudget(long budget) {
      String grew =
          resident()
              ? "resident memory of " + what + " grew " + mib(growth()) + " during the case"
              : "the heap of " + what + " grew " + mib(growth()) + " during the case";
      return grew + "; budget " + mib(budget);
    }

    /**
     * The figures in one line: {@code "resident memory 85 MiB before, 497 MiB at peak, 120 MiB
     * after; 23 → 23 threads; 41 → 43 descriptors"}, and what did not come back.
     */
    String describe(long budget) {
      StringBuilder text = new StringBuilder("resources of ").append(what).append(": ");
      if (resident()) {
        text.append("resident memory ")
            .append(mib(before.residentBytes()))
            .append(" before, ")
            .append(mib(Math.max(peakResident, after.residentBytes())))
            .append(" at peak, ")
            .append(mib(after.residentBytes()))
            .append(" after");
      } else {
        text.append("heap after GC ").append(mib(before.heapBytes())).append(" before, ");
        if (inputSent != null) {
          text.append(mib(inputSent.heapBytes())).append(" with the input held, ");
        }
        text.append(mib(after.heapBytes())).append(" after");
        if (oldGrowth >= 0) text.append("; old generation's peak +").append(mib(oldGrowth));
      }
      if (before.threads() >= 0 && after.threads() >= 0) {
        text.append("; threads ").append(before.threads()).append(" → ").append(after.threads());
      }
      if (before.descriptors() >= 0 && after.descriptors() >= 0) {
        text.append("; descriptors ")
            .append(before.descriptors())
            .append(" → ")
            .append(after.descriptors());
      }
      long kept =
          resident()
              ? after.residentBytes() - before.residentBytes()
              : after.heapBytes() - before.heapBytes();
      if (kept > budget) {
        text.append("; ").append(mib(kept)).append(" of memory had not come back after the case");
      }
      return text.toString();
    }

    private static String mib(long bytes) {
      return ResourceSample.mib(bytes);
    }
  }
}
