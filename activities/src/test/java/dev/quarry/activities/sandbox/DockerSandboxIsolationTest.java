package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.dockerjava.api.DockerClient;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The attacks of issue 18, one per class, on the real engine: programs in one batch reaching the
 * runner's report, each other, each other's code, what earlier executions left behind, and the
 * culprit search. Every test here failed against the sandbox before per-execution uids (the runner,
 * PID 1 and all programs shared one uid): see docs/sandbox.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerSandboxIsolationTest {
  /** The sandbox under attack; the DockerGvisor* tests run the same suite on runsc. */
  SandboxSettings settings() {
    return SandboxSettings.defaults();
  }

  private static final ExecutionLimits LIMITS = new ExecutionLimits(3, 128, 1 << 16);

  /** Sleeps before reading its input, so a concurrent attacker finds it alive, stdin unread. */
  private static final String SLOW_NEIGHBOUR =
      "import time\ntime.sleep(1.2)\nx = int(input())\nprint(x * 2)\n";

  /** Python: the pids of program 1's executions (the neighbour), found through /proc. */
  private static final String FIND_NEIGHBOURS =
      String.join(
          "\n",
          "import os, signal, time",
          "def neighbours():",
          "    found = []",
          "    for p in os.listdir('/proc'):",
          "        if p.isdigit() and int(p) != os.getpid():",
          "            try:",
          "                cmd = open('/proc/%s/cmdline' % p, 'rb').read()",
          "            except OSError:",
          "                continue",
          "            if b'-B' in cmd and b'p1' in cmd:",
          "                found.append(int(p))",
          "    return found",
          "def each_neighbour(act):",
          "    end = time.time() + 1.0",
          "    while time.time() < end:",
          "        for pid in neighbours():",
          "            try:",
          "                act(pid)",
          "            except OSError as e:",
          "                print('denied', e.errno)",
          "                return",
          "        time.sleep(0.01)",
          "");

  private DockerClient client;
  private DockerSandboxExecutor executor;
  private DockerSandboxExecutor sequential;

  @BeforeAll
  void connect() {
    for (String noisy : List.of("org.apache.hc", "com.github.dockerjava")) {
      ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.INFO);
    }
    SandboxSettings settings = settings();
    client = DockerClients.connect(settings);
    executor = new DockerSandboxExecutor(client, settings);
    sequential = new DockerSandboxExecutor(client, settings.withParallelism(1));
  }

  @AfterAll
  void close() throws Exception {
    client.close();
  }

  /** The attacker (program 0) beside the slow neighbour (program 1), both on "21". */
  private BatchResult beside(String attacker) throws Exception {
    return executor.run(
        new ExecutionBatch(
            Language.PYTHON, List.of(attacker, SLOW_NEIGHBOUR), List.of("21\n"), LIMITS));
  }

  private static void neighbourUnharmed(BatchResult result) {
    ExecutionOutcome neighbour = result.find(1, 0).orElseThrow();
    assertEquals(Verdict.OK, neighbour.verdict(), "the neighbour was harmed: " + neighbour);
    assertEquals(
        "42", neighbour.stdout().strip(), "the neighbour's output was changed: " + neighbour);
  }

  // 1. Verdict forgery -------------------------------------------------------------------------

  /**
   * The red team's forgery: execution (0, 0) opens PID 1's stdout (the report pipe) both ways,
   * takes the runner's line for its own failing execution (0, 1) out of it and puts back an OK line
   * with the batch's nonce, copied from that very line.
   */
  @Test
  void aProgramCannotRewriteTheReport() throws Exception {
    String forger =
        String.join(
            "\n",
            "import json, select, sys, time",
            "if sys.stdin.read().strip() == '1':",
            "    raise SystemExit(3)",
            "try:",
            "    r = open('/proc/1/fd/1', 'rb', buffering=0)",
            "    w = open('/proc/1/fd/1', 'wb', buffering=0)",
            "except OSError as e:",
            "    print('closed', e.errno)",
            "    raise SystemExit(0)",
            "pending, end = b'', time.time() + 2",
            "while time.time() < end:",
            "    if not select.select([r], [], [], 0.05)[0]:",
            "        continue",
            "    pending += r.read(1 << 16)",
            "    while b'\\n' in pending:",
            "        line, pending = pending.split(b'\\n', 1)",
            "        o = json.loads(line)",
            "        if o.get('program') == 0 and o.get('input') == 1:",
            "            o.update(verdict='OK', exitCode=0, stdout='FORGED\\n')",
            "            line = json.dumps(o).encode()",
            "            end = 0",
            "        w.write(line + b'\\n')",
            "print('forged' if end == 0 else 'nothing seen')",
            "");
    BatchResult result =
        executor.run(
            new ExecutionBatch(Language.PYTHON, List.of(forger), List.of("0\n", "1\n"), LIMITS));
    ExecutionOutcome failing = result.find(0, 1).orElseThrow();
    assertEquals(Verdict.RUNTIME_ERROR, failing.verdict(), "forged: " + failing);
    assertEquals(3, failing.exitCode(), failing.toString());
    assertTrue(result.find(0, 0).orElseThrow().stdout().startsWith("closed"), result.toString());
  }

  // 2. Programs reaching each other --------------------------------------------------------------

  @Test
  void aProgramCannotKillItsNeighbour() throws Exception {
    BatchResult result =
        beside(FIND_NEIGHBOURS + "each_neighbour(lambda pid: os.kill(pid, signal.SIGKILL))\n");
    neighbourUnharmed(result);
  }

  @Test
  void aProgramCannotStopItsNeighbour() throws Exception {
    BatchResult result =
        beside(FIND_NEIGHBOURS + "each_neighbour(lambda pid: os.kill(pid, signal.SIGSTOP))\n");
    neighbourUnharmed(result);
  }

  @Test
  void aProgramCannotWriteIntoItsNeighboursStdoutOrReadItsStdin() throws Exception {
    String attacker =
        FIND_NEIGHBOURS
            + String.join(
                "\n",
                "def tamper(pid):",
                "    open('/proc/%d/fd/1' % pid, 'w').write('666\\n')",
                "    print('stole', open('/proc/%d/fd/0' % pid, 'rb').read(3))",
                "each_neighbour(tamper)",
                "");
    BatchResult result = beside(attacker);
    neighbourUnharmed(result);
    assertFalse(result.find(0, 0).orElseThrow().stdout().contains("stole"), result.toString());
  }

  @Test
  void aProgramCannotPtraceItsNeighbour() throws Exception {
    String attacker =
        FIND_NEIGHBOURS
            + String.join(
                "\n",
                "import ctypes",
                "libc = ctypes.CDLL(None, use_errno=True)",
                "def attach(pid):",
                "    if libc.ptrace(16, pid, 0, 0) == 0:", // PTRACE_ATTACH
                "        print('ATTACHED')",
                "        libc.ptrace(8, pid, 0, 0)", // PTRACE_KILL
                "    else:",
                "        raise OSError(ctypes.get_errno(), 'ptrace')",
                "each_neighbour(attach)",
                "");
    BatchResult result = beside(attacker);
    neighbourUnharmed(result);
    assertFalse(result.find(0, 0).orElseThrow().stdout().contains("ATTACHED"), result.toString());
  }

  /**
   * One test per system call Quarry's seccomp profile adds to what the kernel's permission checks
   * already refuse: each is called in the harmless way that works in a plain container (on the
   * program itself, or on a bad descriptor) and must fail with EPERM from the filter.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "io_uring_setup",
        "io_uring_enter",
        "io_uring_register"
      })
  void theSeccompProfileDenies(String syscall) throws Exception {
    String program =
        String.join(
            "\n",
            "import ctypes, os",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "libc.syscall.restype = ctypes.c_long",
            "NR = {'x86_64': dict(ptrace=101, process_vm_readv=310, process_vm_writev=311),",
            "      'aarch64': dict(ptrace=117, process_vm_readv=270, process_vm_writev=271)}[os.uname().machine]",
            "NR.update(io_uring_setup=425, io_uring_enter=426, io_uring_register=427)",
            "class iovec(ctypes.Structure):",
            "    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]",
            "a, b = ctypes.create_string_buffer(64), ctypes.create_string_buffer(64)",
            "local = iovec(ctypes.cast(a, ctypes.c_void_p), 64)",
            "remote = iovec(ctypes.cast(b, ctypes.c_void_p), 64)",
            "params = ctypes.create_string_buffer(120)",
            "vm = (os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)",
            "args = dict(ptrace=(0, 0, 0, 0), process_vm_readv=vm, process_vm_writev=vm,",
            "            io_uring_setup=(1, params), io_uring_enter=(-1, 0, 0, 0, 0, 0),",
            "            io_uring_register=(-1, 0, 0, 0))",
            "name = '" + syscall + "'",
            "rc = libc.syscall(NR[name], *args[name])",
            "print(rc, ctypes.get_errno())",
            "");
    BatchResult result =
        executor.run(new ExecutionBatch(Language.PYTHON, List.of(program), List.of(""), LIMITS));
    ExecutionOutcome o = result.outcomes().get(0);
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    assertEquals("-1 1", o.stdout().strip(), syscall + " was not denied with EPERM: " + o.stdout());
  }

  // 3. Shared files -----------------------------------------------------------------------------

  /**
   * Program 0 runs first (one execution at a time) and goes for program 1's source: find it, read
   * it, make it writable, replace it. Program 1 must still be itself.
   */
  @Test
  void aProgramCannotReadOrRewriteItsNeighboursSource() throws Exception {
    String attacker =
        String.join(
            "\n",
            "import glob, os",
            "paths = glob.glob('/tmp/quarry-*/p1.py') + glob.glob('/tmp/quarry-*/p1/main.py')",
            "paths += ['/tmp/quarry-%d/p1/main.py' % n for n in range(1, 64)]",
            "for path in paths:",
            "    try:",
            "        print('READ', len(open(path).read()))",
            "    except OSError:",
            "        pass",
            "    try:",
            "        os.chmod(path, 0o644)",
            "    except OSError:",
            "        pass",
            "    try:",
            "        open(path, 'w').write('print(\"HACKED\")\\n')",
            "        print('WROTE', path)",
            "    except OSError:",
            "        pass",
            "");
    BatchResult result =
        sequential.run(
            new ExecutionBatch(
                Language.PYTHON,
                List.of(attacker, "print(int(input()) * 2)\n"),
                List.of("21\n"),
                LIMITS));
    ExecutionOutcome attack = result.find(0, 0).orElseThrow();
    assertFalse(
        attack.stdout().contains("READ") || attack.stdout().contains("WROTE"), attack.toString());
    neighbourUnharmed(result);
  }

  /** The same against a compiled neighbour: its binary is runnable, not replaceable. */
  @Test
  void aProgramCannotReplaceItsNeighboursBinary() throws Exception {
    String attacker =
        String.join(
            "\n",
            "#include <cstdlib>",
            "int main() {",
            "  return std::system(\"for f in /tmp/quarry-*/p1 /tmp/quarry-*/p1/main; do"
                + " chmod 755 $f 2>/dev/null; printf '#!/bin/sh\\\\necho HACKED\\\\n' > $f"
                + " 2>/dev/null && echo WROTE $f; done; true\") == 0 ? 0 : 1;",
            "}",
            "");
    String neighbour =
        "#include <iostream>\nint main() { long x; std::cin >> x; std::cout << x * 2 << std::endl; }\n";
    BatchResult result =
        sequential.run(
            new ExecutionBatch(
                Language.CPP, List.of(attacker, neighbour), List.of("21\n"), LIMITS));
    ExecutionOutcome attack = result.find(0, 0).orElseThrow();
    assertFalse(attack.stdout().contains("WROTE"), attack.toString());
    neighbourUnharmed(result);
  }

  // 4. Leftovers -------------------------------------------------------------------------------

  /**
   * One program, two inputs, one execution at a time: on "w" it leaves a file in /tmp and in
   * /dev/shm and a SysV shared memory segment; on "c" it looks for them. The second execution must
   * start clean.
   */
  @Test
  void nothingAnExecutionLeavesReachesTheNextOne() throws Exception {
    String program =
        String.join(
            "\n",
            "import ctypes, os, sys",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "KEY = 0x51AB",
            "if sys.stdin.read().strip() == 'w':",
            "    for path in ('/tmp/leftover', '/dev/shm/leftover'):",
            "        with open(path, 'w') as f:",
            "            f.write('x' * 4096)",
            "        os.chmod(path, 0o666)",
            "    print('shm', libc.shmget(KEY, 1 << 20, 0o1000 | 0o666))", // IPC_CREAT
            "else:",
            "    print('files', [p for p in ('/tmp/leftover', '/dev/shm/leftover') if os.path.exists(p)])",
            "    print('segment', libc.shmget(KEY, 0, 0) >= 0)",
            "");
    BatchResult result =
        sequential.run(
            new ExecutionBatch(Language.PYTHON, List.of(program), List.of("w\n", "c\n"), LIMITS));
    ExecutionOutcome writer = result.find(0, 0).orElseThrow();
    assertEquals(Verdict.OK, writer.verdict(), writer.toString());
    assertFalse(writer.stdout().contains("shm -1"), "the writer could not even create: " + writer);
    ExecutionOutcome checker = result.find(0, 1).orElseThrow();
    assertEquals("files []\nsegment False", checker.stdout().strip(), checker.toString());
  }

  // 5. Dodging the culprit search --------------------------------------------------------------

  /**
   * Kills everything it can, but only when another program runs beside it: it used to force one
   * container per execution (and then behave, alone). Now it can reach nothing: one container.
   */
  @Test
  void killingTheRunnerOnlyWithNeighboursCostsNoExtraContainer() throws Exception {
    String dodger =
        FIND_NEIGHBOURS
            + String.join(
                "\n",
                "if neighbours():",
                "    for pid in range(1, 1000):",
                "        if pid != os.getpid():",
                "            try:",
                "                os.kill(pid, signal.SIGKILL)",
                "            except OSError:",
                "                pass",
                "print(int(input()) * 2)",
                "");
    long before = executor.containersCreated();
    BatchResult result =
        executor.run(
            new ExecutionBatch(
                Language.PYTHON,
                List.of(dodger, SLOW_NEIGHBOUR),
                List.of("21\n", "5\n", "7\n"),
                LIMITS));
    assertEquals(1, executor.containersCreated() - before, "extra containers: " + result);
    for (int input = 0; input < 3; input++) {
      ExecutionOutcome neighbour = result.find(1, input).orElseThrow();
      assertEquals(Verdict.OK, neighbour.verdict(), neighbour.toString());
    }
    assertEquals("42", result.find(1, 0).orElseThrow().stdout().strip());
  }
}
