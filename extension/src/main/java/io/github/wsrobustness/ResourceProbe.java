package io.github.wsrobustness;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import okio.BufferedSource;
import okio.Okio;

/**
 * Reads what a server under test holds, memory, threads and file descriptors, so that a catalogue
 * can say "resident memory grew 412 MiB during the case; budget 64 MiB". A probe watches either a
 * process and everything it started ({@link #processTree}), read from Linux's {@code /proc}, or
 * this very JVM ({@link #thisJvm}) when the server runs inside the test; {@link #listeningOn} picks
 * the right one for a port.
 *
 * <p>Sampling never throws on account of the processes watched: a process or descriptor that
 * vanishes while it is read is normal, and yields fewer processes or fewer descriptors. Every read
 * is bounded, since what is read is the server's doing: at most {@value #MAX_SOCKET_LINES} lines of
 * each socket table, {@value #MAX_DESCRIPTORS} descriptors and {@value #MAX_STATUS_BYTES} bytes of
 * status per process, {@value #MAX_PROCESSES} processes per scan.
 *
 * <p>Thread-safety: immutable; {@link #sample()} and {@link #settled()} may be called from any
 * thread, at the same time.
 */
abstract class ResourceProbe {
  /** Lines read of each of {@code /proc/net/tcp} and {@code /proc/net/tcp6}. */
  static final int MAX_SOCKET_LINES = 200_000;

  /** Descriptors counted, or looked at, per process; a count that reaches it means "at least". */
  static final int MAX_DESCRIPTORS = 100_000;

  /** Processes read per sample, and looked at by {@link #listeningOn}. */
  static final int MAX_PROCESSES = 10_000;

  /** A status file is about 1.5 KiB; more than this is not one. */
  static final int MAX_STATUS_BYTES = 64 * 1024;

  /** A socket table's line is about 150 bytes; a longer one ends the reading of that table. */
  private static final int MAX_LINE_BYTES = 4096;

  private static final Path PROC = Path.of("/proc");

  /**
   * Linux, and a {@code /proc} this JVM can read: elsewhere {@code /proc} may exist with another
   * layout (Solaris) or not at all (macOS, Windows).
   */
  private static final boolean SUPPORTED =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
          && Files.isReadable(PROC.resolve("self/status"))
          && Files.isDirectory(PROC.resolve("self/fd"));

  private ResourceProbe() {} // the two kinds below are all there is

  /** What is watched, for a message: "the process tree of pid 1234 (node)". */
  abstract String describe();

  /** The figures now; cheap (no garbage collection), for calling every 10 ms or so. */
  abstract ResourceSample sample();

  /**
   * The figures once the garbage is gone: for this JVM, after {@link System#gc()}; for a process,
   * whose collector is not ours to run, the same as {@link #sample()}.
   */
  abstract ResourceSample settled();

  /**
   * Whether {@code /proc} can be read here (Linux): without it, only this JVM's heap and threads.
   */
  static boolean supported() {
    return SUPPORTED;
  }

  /**
   * The process with this pid and all its descendants: resident memory is the sum of their {@code
   * VmRSS}, threads the sum of their {@code Threads}, descriptors the sum of the entries of their
   * {@code fd} directories (a process whose directory cannot be read is left out of that sum), and
   * processes how many were found alive; heap is -1, not ours to read. Once the process has ended
   * every other figure is 0 (-1 where {@code /proc} is not supported); its orphans, adopted by
   * another process, are no longer its descendants.
   */
  static ResourceProbe processTree(long pid) {
    return new ProcessTree(pid, ProcessHandle.of(pid));
  }

  /**
   * This JVM, for a server that runs in the test's own JVM: the heap in use, live threads, open
   * descriptors ({@code -1} where {@code /proc} is not supported), and no resident memory ({@code
   * -1}): the JVM's resident memory holds the test client too, so it is not the server's.
   */
  static ResourceProbe thisJvm() {
    return ThisJvm.INSTANCE;
  }

  /**
   * The server listening on TCP port {@code port} of 127.0.0.1, ::1 or every address: its socket is
   * found in {@code /proc/net/tcp} and {@code /proc/net/tcp6}, then the process holding that socket
   * among this JVM, its descendants and at last every process. This JVM yields {@link #thisJvm()};
   * another process the tree of the topmost process holding the socket, so that a server whose
   * workers share the listening socket is watched whole. Empty when nobody here listens there, when
   * the holder cannot be read (another user's process, another container), or where {@code /proc}
   * is not supported. Looks at every process at worst: for once per catalogue, not per case.
   */
  static Optional<ResourceProbe> listeningOn(int port) {
    if (!SUPPORTED || port < 1 || port > 65_535) return Optional.empty();
    Set<String> links = new HashSet<>();
    listeningSockets(PROC.resolve("net/tcp"), port, links);
    listeningSockets(PROC.resolve("net/tcp6"), port, links);
    if (links.isEmpty()) return Optional.empty();
    ProcessHandle self = ProcessHandle.current();
    if (holdsAny(self.pid(), links)) return Optional.of(thisJvm());
    // A server the test launched is one of our descendants: look there before every process.
    Set<Long> seen = new HashSet<>();
    seen.add(self.pid());
    Iterator<ProcessHandle> descendants = self.descendants().limit(MAX_PROCESSES).iterator();
    while (descendants.hasNext()) {
      long pid = descendants.next().pid();
      if (seen.add(pid) && holdsAny(pid, links)) return Optional.of(processTree(top(pid, links)));
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC)) {
      Iterator<Path> entries = all.iterator();
      while (entries.hasNext() && seen.size() < MAX_PROCESSES) {
        long pid = pidOf(entries.next().getFileName().toString());
        if (pid > 0 && seen.add(pid) && holdsAny(pid, links)) {
          return Optional.of(processTree(top(pid, links)));
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // /proc could not be listed, or not to the end: nothing found.
    }
    return Optional.empty();
  }

  /**
   * Adds to {@code links} the {@code socket:[inode]} link of each socket in this table listening on
   * {@code port} of a loopback or the unspecified address. A line reads {@code "0: 0100007F:1F90
   * 00000000:0000 0A … inode …"}: local address and port in hex, then the peer's, then the state,
   * 0A being LISTEN; the inode is the tenth field.
   */
  private static void listeningSockets(Path table, int port, Set<String> links) {
    try (BufferedSource source = Okio.buffer(Okio.source(table))) {
      for (int line = 0; line < MAX_SOCKET_LINES && !source.exhausted(); line++) {
        String[] fields = source.readUtf8LineStrict(MAX_LINE_BYTES).trim().split("\\s+");
        if (fields.length < 10 || !fields[3].equals("0A")) continue; // the header, or not LISTEN
        int colon = fields[1].indexOf(':');
        if (colon < 0) continue;
        String address = fields[1].substring(0, colon);
        try {
          if (Integer.parseInt(fields[1].substring(colon + 1), 16) == port
              && loopbackOrAny(address)) {
            links.add("socket:[" + fields[9] + "]");
          }
        } catch (NumberFormatException e) {
          // not a line of the layout above: not a socket of ours either
        }
      }
    } catch (IOException e) {
      // No such table (a kernel without IPv6), or a line past MAX_LINE_BYTES: what was read stands.
    }
  }

  /**
   * Whether an address of a socket table, its 32-bit words each printed as the host reads them (so
   * byte-reversed on a little-endian host), is a loopback or the unspecified address. An IPv4
   * address mapped into IPv6 counts as the IPv4 address.
   */
  private static boolean loopbackOrAny(String hex) {
    if (hex.length() != 8 && hex.length() != 32) return false;
    byte[] address = new byte[hex.length() / 2];
    for (int word = 0; word < address.length / 4; word++) {
      int value = Integer.parseUnsignedInt(hex, word * 8, word * 8 + 8, 16);
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) value = Integer.reverseBytes(value);
      for (int i = 0; i < 4; i++) address[word * 4 + i] = (byte) (value >>> (24 - 8 * i));
    }
    try {
      InetAddress inet = InetAddress.getByAddress(address);
      return inet.isLoopbackAddress() || inet.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false; // not thrown for 4 or 16 bytes
    }
  }

  /**
   * Whether one of the descriptors of process {@code pid} is one of these links. Whether a
   * process's links may be read is decided for the whole process (the kernel's ptrace access
   * check), so the first refusal ends the look at it.
   */
  private static boolean holdsAny(long pid, Set<String> links) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
      Iterator<Path> entries = fds.iterator();
      for (int i = 0; i < MAX_DESCRIPTORS && entries.hasNext(); i++) {
        Path fd = entries.next();
        try {
          if (links.contains(Files.readSymbolicLink(fd).toString())) return true;
        } catch (AccessDeniedException e) {
          return false;
        } catch (IOException e) {
          // closed since the listing: the next one
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // gone, before or during the listing, or not ours to read
    }
    return false;
  }

  /**
   * The topmost of {@code pid} and its ancestors that hold one of these links: a pre-forking server
   * listens in its parent and its workers alike, and the parent's tree holds them all. Bounded, as
   * a chain of parents is finite only as long as no process is reused in it.
   */
  private static long top(long pid, Set<String> links) {
    long top = pid;
    long self = ProcessHandle.current().pid();
    for (int depth = 0; depth < MAX_PROCESSES; depth++) {
      Optional<ProcessHandle> parent = ProcessHandle.of(top).flatMap(ProcessHandle::parent);
      if (parent.isEmpty()) break;
      long ppid = parent.get().pid();
      // Never up to pid 1: systemd holds the sockets it activates services with, and its tree is
      // the whole machine.
      if (ppid == self || ppid <= 1 || !holdsAny(ppid, links)) break;
      top = ppid;
    }
    return top;
  }

  /** The pid a {@code /proc} entry names, or -1 for the entries that are no process. */
  private static long pidOf(String name) {
    if (name.isEmpty() || name.length() > 18) return -1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
    }
    return Long.parseLong(name);
  }

  /**
   * Entries of {@code /proc/<pid>/fd}, at most {@link #MAX_DESCRIPTORS}; -1 when the directory
   * cannot be read (another user's process) or the process is gone.
   */
  private static int countDescriptors(Path process) {
    int count = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      Iterator<Path> entries = fds.iterator();
      while (count < MAX_DESCRIPTORS && entries.hasNext()) {
        entries.next();
        count++;
      }
      return count;
    } catch (IOException | DirectoryIteratorException e) {
      return -1; // gone, before or during the listing, or not ours to read
    }
  }

  /**
   * The figures of one process's status file, -1 for a figure absent from it, and whether the
   * process has ended though its pid is still there.
   */
  private record Status(boolean ended, long residentBytes, int threads) {}

  /**
   * The status of the process whose {@code /proc} directory this is, or null when it is gone. Lines
   * read {@code "State:\tS (sleeping)"}, {@code "VmRSS:\t 1684 kB"}, {@code "Threads:\t1"}.
   *
   * <p>A process has ended when it is a zombie ({@code Z}: exited, its parent has yet to reap it)
   * or dead ({@code X}), or has no memory left: an exiting process loses its {@code VmRSS} line
   * before its descriptors close, so before a pipe it held reports its end, and before it turns
   * zombie. It holds nothing then, although {@link ProcessHandle#isAlive()} says alive until it is
   * reaped, and forever under a parent that never reaps. Not so while it still runs threads: then
   * only its first thread has exited ({@code pthread_exit} in {@code main}), which reads the same,
   * and the process lives on, its memory unread.
   */
  private static Status status(Path process) {
    String text;
    try (InputStream in = Files.newInputStream(process.resolve("status"))) {
      text = new String(in.readNBytes(MAX_STATUS_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null; // gone before or while it was read (ENOENT, ESRCH)
    }
    boolean zombie = false;
    long resident = -1;
    int threads = -1;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String value = line.substring(colon + 1).trim();
      switch (line.substring(0, colon)) {
        case "State" -> zombie = value.startsWith("Z") || value.startsWith("X");
        case "VmRSS" -> resident = number(value.replace("kB", "").trim(), 1024);
        case "Threads" -> threads = (int) Math.min(Integer.MAX_VALUE, number(value, 1));
        default -> {}
      }
    }
    boolean ended = threads <= 1 && (zombie || resident < 0);
    return new Status(ended, resident, threads);
  }

  /** {@code digits} times {@code unit}, or -1 when it is no number. */
  private static long number(String digits, long unit) {
    try {
      long value = Long.parseLong(digits);
      return value < 0 || value > Long.MAX_VALUE / unit ? -1 : value * unit;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A process and its descendants. The handle is taken once: its start time tells the process from
   * a later one given the same pid, which a bare pid cannot.
   */
  private static final class ProcessTree extends ResourceProbe {
    private final long pid;
    private final Optional<ProcessHandle> root;

    ProcessTree(long pid, Optional<ProcessHandle> root) {
      this.pid = pid;
      this.root = root;
    }

    @Override
    String describe() {
      String command =
          root.flatMap(p -> p.info().command())
              .map(c -> " (" + c.substring(c.lastIndexOf('/') + 1) + ")")
              .orElse("");
      return "the process tree of pid " + pid + command;
    }

    @Override
    ResourceSample sample() {
      if (root.isEmpty() || !root.get().isAlive()) {
        return SUPPORTED
            ? new ResourceSample(0, -1, 0, 0, 0)
            : new ResourceSample(-1, -1, -1, -1, 0);
      }
      long resident = 0;
      int threads = 0;
      int descriptors = 0;
      int processes = 0;
      boolean anyResident = false;
      boolean anyThreads = false;
      boolean anyDescriptors = false;
      Iterator<ProcessHandle> tree =
          Stream.concat(Stream.of(root.get()), root.get().descendants())
              .limit(MAX_PROCESSES)
              .iterator();
      while (tree.hasNext()) {
        ProcessHandle process = tree.next();
        if (!SUPPORTED) {
          processes++; // ProcessHandle works everywhere; /proc does not
          continue;
        }
        // Between the listing and this read the pid may have ended, even been reused: a window of
        // microseconds, against a sample taken every 10 ms. Its figures are then one sample's
        // noise.
        Path dir = PROC.resolve(Long.toString(process.pid()));
        Status status = status(dir);
        if (status == null || status.ended()) continue;
        processes++;
        if (status.residentBytes() >= 0) {
          resident += status.residentBytes();
          anyResident = true;
        }
        if (status.threads() >= 0) {
          threads += status.threads();
          anyThreads = true;
        }
        int fds = countDescriptors(dir);
        if (fds >= 0) {
          descriptors += fds;
          anyDescriptors = true;
        }
      }
      // A figure no process gave is not available; one some gave is their sum (fewer, not wrong).
      // Where /proc is not supported, none gives any.
      return new ResourceSample(
          anyResident || processes == 0 && SUPPORTED ? resident : -1,
          -1,
          anyThreads || processes == 0 && SUPPORTED ? threads : -1,
          anyDescriptors || processes == 0 && SUPPORTED ? descriptors : -1,
          processes);
    }

    @Override
    ResourceSample settled() {
      return sample();
    }
  }

  /**
   * This JVM: heap and threads from its management beans, descriptors from {@code /proc/self/fd}
   * (one of which is the listing's own).
   */
  private static final class ThisJvm extends ResourceProbe {
    static final ThisJvm INSTANCE = new ThisJvm();

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path self = PROC.resolve(Long.toString(ProcessHandle.current().pid()));

    @Override
    String describe() {
      return "this JVM (the server runs in the test's JVM)";
    }

    @Override
    ResourceSample sample() {
      return new ResourceSample(
          -1,
          memory.getHeapMemoryUsage().getUsed(),
          threads.getThreadCount(),
          SUPPORTED ? countDescriptors(self) : -1,
          1);
    }

    @Override
    ResourceSample settled() {
      // A full collection where the JVM honours the request (not with -XX:+DisableExplicitGC):
      // what the heap holds right after it is what the server keeps, not what it dropped.
      System.gc();
      return sample();
    }
  }
}
