"""Quarry's in-container runner: runs every (program, input) pair of one batch.

Reads ONE JSON document on stdin (the executor sends it as one line, so EOF is not awaited):
  {"language": "python" | "cpp", "programs": [src, ...], "inputs": [str, ...],
   "limits": {"wallSeconds": 5.0, "memoryMb": 256, "outputBytes": 1048576},
   "parallelism": 2, "nonce": "<random>"}
Writes one JSON line per execution, in completion order:
  {"program": i, "input": j, "verdict": "OK", "stdout": "...", "stderrTail": "...",
   "exitCode": 0, "wallSeconds": 0.01, "nonce": "<random>"}
then {"done": true, "count": N, "nonce": "<random>"}. The done line is the positive evidence that
the batch ran to the end: the caller treats its absence, or a wrong count, as a disrupted batch.

The nonce is the caller's proof that a line came from this runner. Programs run under the same
uid and can write into the container's stdout (/proc/1/fd/1 is the init's); they cannot learn
the nonce, which only ever lives in this process (made non-dumpable, so its memory and fds are
closed to them). A program can still SIGKILL or SIGSTOP the runner: the caller then re-runs each
execution in a container of its own and gives the one that does it again its verdict.

exitCode: the exit status, or -signal when killed; 1 for a COMPILE_ERROR (never run).
Python 3 stdlib only. The container is the security boundary; the limits here make each
execution's verdict independent of its neighbours (see CONTENTION_MARKERS for the one gap).

Run it only inside the sandbox image: it kills stray processes (see sweep_strays).
"""

import ctypes
import json
import math
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
import warnings

# Per runner process, so running the runner twice in one container never collides.
WORKDIR = "/tmp/quarry-%d" % os.getpid()
STDERR_TAIL_BYTES = 2048
CHUNK = 1 << 16
# Threads/processes a program may add to the sandbox uid's count on top of the runner's own.
EXTRA_PROCESSES = 16
# Per-file write cap for anything a program writes under /tmp (the tmpfs is capped too).
FILE_SIZE_BYTES = 16 << 20
# After the program exits, how long to wait for a pipe still held open by a killed descendant.
DRAIN_GRACE_SECONDS = 0.1
MEMORY_MARKERS = (b"MemoryError", b"Cannot allocate memory", b"std::bad_alloc", b"out of memory")
# The process/thread cap (RLIMIT_NPROC) counts every task of the sandbox uid, so a fork bomb in
# one execution can make a concurrent neighbour fail to start a thread. Failures with these
# signatures are run again, alone, once the parallel phase is over.
CONTENTION_MARKERS = ("can't start new thread", "Resource temporarily unavailable")

# Catchable signals a program may send the runner (directly, or to PID 1, which forwards them):
# a handler that does nothing. Not SIG_IGN, which programs would inherit across exec.
SHIELDED_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM",
                    "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGWINCH")
PR_SET_DUMPABLE = 4
# C++: compiled once per program, before any execution, under limits of its own.
CPP_COMPILE = ["g++", "-std=c++17", "-O2", "-pipe", "-w"]
CPP_COMPILE_SECONDS = 30
CPP_COMPILE_MEMORY_BYTES = 1 << 30

_out_lock = threading.Lock()
NONCE = None
# Spawning and the stray sweep must not interleave: a fresh child is briefly in our session.
_spawn_lock = threading.Lock()
_active_sessions = set()
SWEEP = False


def emit(obj):
    if NONCE is not None:
        obj["nonce"] = NONCE
    line = (json.dumps(obj, separators=(",", ":")) + "\n").encode("ascii")
    with _out_lock:
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()


def fail(message):
    """A request we cannot run is an infrastructure error: no done line, exit non-zero."""
    sys.stderr.write("runner: " + message + "\n")
    sys.exit(2)


def shield():
    """Keep programs from ending the runner with catchable signals or reading its memory."""
    for name in SHIELDED_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, lambda *_: None)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: nothing runs unsandboxed there anyway


class Limits:
    def __init__(self, raw, parallelism):
        self.wall = float(raw.get("wallSeconds", 5.0))
        self.memory_bytes = int(raw.get("memoryMb", 256)) << 20
        self.output_bytes = int(raw.get("outputBytes", 1 << 20))
        self.cpu_seconds = int(math.ceil(self.wall)) + 1
        # The uid's task count: tini + runner main thread + one pool thread and one child per
        # parallel slot, plus headroom for the program's own threads. Fork bombs stop here.
        self.processes = 2 + 2 * parallelism + EXTRA_PROCESSES

    def prlimit_prefix(self):
        # util-linux prlimit sets the limits then execs the program: no preexec_fn, which is
        # unsafe in a threaded parent.
        return [
            "prlimit",
            "--as=%d" % self.memory_bytes,
            "--cpu=%d:%d" % (self.cpu_seconds, self.cpu_seconds + 1),
            "--fsize=%d" % FILE_SIZE_BYTES,
            "--nproc=%d" % self.processes,
            "--core=0",
            "--",
        ]


def compile_error(source, name):
    """The SyntaxError text of a Python program, or None when it compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, name, "exec", dont_inherit=True)
        return None
    except Exception as e:  # SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError
        import traceback  # only on this path: every import costs startup time

        return "".join(traceback.format_exception_only(type(e), e))


def sweep_enabled():
    """Only inside the sandbox image (which sets QUARRY_SANDBOX=1), never as root: the sweep
    kills processes, and run by hand on a host it must not touch anything."""
    return os.environ.get("QUARRY_SANDBOX") == "1" and os.getuid() != 0


def sweep_strays():
    """Kill our uid's processes that escaped their execution's session (setsid) and outlived it.
    Inside the container's pid namespace those can only be leftovers of programs."""
    me = os.getpid()
    uid = os.getuid()
    allowed = {os.getsid(0)} | _active_sessions
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid in (1, me):
            continue
        try:
            if os.stat("/proc/%d" % pid).st_uid != uid:
                continue
            with open("/proc/%d/stat" % pid, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) not in allowed:  # fields after ')': state ppid pgrp session
                os.kill(pid, signal.SIGKILL)
        except (OSError, IndexError, ValueError):
            pass


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def exit_watcher(proc):
    """A pidfd that becomes readable when the child exits, or None (old kernel / seccomp)."""
    try:
        return os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        return None


def execute(command, stdin_bytes, limits):
    """Runs one program on one input; returns (verdict, stdout, stderr_tail, exit_code, wall)."""
    with _spawn_lock:
        start = time.monotonic()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=WORKDIR,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": WORKDIR},
            start_new_session=True,
            close_fds=True,
        )
        _active_sessions.add(proc.pid)
    deadline = start + limits.wall
    out = bytearray()
    err = bytearray()
    killed_for = None
    pending = memoryview(stdin_bytes)
    pidfd = exit_watcher(proc)
    sel = selectors.DefaultSelector()
    exited_at = None
    try:
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            os.set_blocking(stream.fileno(), False)
        if pending:
            sel.register(proc.stdin, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()
        sel.register(proc.stdout, selectors.EVENT_READ)
        sel.register(proc.stderr, selectors.EVENT_READ)
        if pidfd is not None:
            sel.register(pidfd, selectors.EVENT_READ)
        open_outputs = 2
        while True:
            now = time.monotonic()
            if exited_at is None and proc.poll() is not None:
                # Exited: kill what it left in its group, then drain what is in the pipes.
                exited_at = now
                kill_group(proc.pid)
                if pidfd is not None:
                    sel.unregister(pidfd)
            if exited_at is not None:
                timeout = exited_at + DRAIN_GRACE_SECONDS - now
                if open_outputs == 0 or timeout <= 0:
                    break
            elif now >= deadline:
                killed_for = "timeout"
                break
            else:
                # Without a pidfd nothing wakes us when the child exits: poll every 5 ms.
                timeout = deadline - now if pidfd is not None else min(0.005, deadline - now)
            for key, _ in sel.select(timeout):
                stream = key.fileobj
                if stream is proc.stdin:
                    try:
                        written = os.write(stream.fileno(), pending[:CHUNK])
                        pending = pending[written:]
                    except BlockingIOError:
                        continue
                    except OSError:  # EPIPE: the program stopped reading; not an error
                        pending = pending[:0]
                    if not pending:
                        sel.unregister(stream)
                        stream.close()
                elif stream is proc.stdout or stream is proc.stderr:
                    try:
                        data = os.read(stream.fileno(), CHUNK)
                    except BlockingIOError:
                        continue
                    if not data:
                        sel.unregister(stream)
                        open_outputs -= 1
                        continue
                    if stream is proc.stdout:
                        out += data
                        if len(out) > limits.output_bytes:
                            killed_for = "output"
                            break
                    else:
                        err += data
                        if len(err) > 4 * STDERR_TAIL_BYTES:
                            del err[: len(err) - STDERR_TAIL_BYTES]
            if killed_for:
                break
    finally:
        wall = (exited_at if exited_at is not None else time.monotonic()) - start
        kill_group(proc.pid)
        proc.wait()
        sel.close()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
        if pidfd is not None:
            os.close(pidfd)
        with _spawn_lock:
            _active_sessions.discard(proc.pid)
            if SWEEP:
                sweep_strays()
    code = proc.returncode
    tail = bytes(err[-STDERR_TAIL_BYTES:])
    verdict = classify(killed_for, code, tail)
    stdout = bytes(out[: limits.output_bytes]).decode("utf-8", "replace")
    return verdict, stdout, tail.decode("utf-8", "replace"), code, wall


def classify(killed_for, code, stderr_tail):
    if killed_for == "output":
        return "OUTPUT_LIMIT"
    if killed_for == "timeout" or code in (-signal.SIGXCPU,):
        return "TIMEOUT"
    if code == 0:
        return "OK"
    if any(marker in stderr_tail for marker in MEMORY_MARKERS):
        return "MEMORY_LIMIT"
    if code == -signal.SIGKILL:
        # Nobody here sent it: the kernel's OOM killer (container memory cgroup) did.
        return "MEMORY_LIMIT"
    return "RUNTIME_ERROR"


def write_source(name, source):
    path = os.path.join(WORKDIR, name)
    with open(path, "w", encoding="utf-8", errors="replace") as f:
        f.write(source)
    os.chmod(path, 0o444)
    return path


def prepare_python(programs, limits):
    commands, errors = [], []
    for i, source in enumerate(programs):
        path = write_source("p%d.py" % i, source)
        errors.append(compile_error(source, "p%d.py" % i))
        # -I: isolated (no env, no user site, script dir not on sys.path); -B: read-only fs.
        commands.append(limits.prlimit_prefix() + [sys.executable, "-I", "-B", path])
    return commands, errors


def have_compiler():
    return any(os.access(os.path.join(d, "g++"), os.X_OK) for d in ("/usr/bin", "/bin"))


def prepare_cpp(programs, limits, parallelism):
    """Compiles every program (in parallel) with g++; a failed compile is that program's
    COMPILE_ERROR verdict on every input, with the compiler's message as its stderr."""
    compile_limits = Limits({"wallSeconds": CPP_COMPILE_SECONDS,
                             "memoryMb": CPP_COMPILE_MEMORY_BYTES >> 20,
                             "outputBytes": 1 << 20}, parallelism)
    commands = [None] * len(programs)
    errors = [None] * len(programs)

    def build(i):
        source = write_source("p%d.cpp" % i, programs[i])
        binary = os.path.join(WORKDIR, "p%d" % i)
        # cc1plus and as run as children of g++: the process cap needs room for them.
        verdict, _, tail, code, _ = execute(
            compile_limits.prlimit_prefix() + CPP_COMPILE + ["-o", binary, source], b"",
            compile_limits)
        if verdict != "OK" or not os.path.exists(binary):
            reason = {"TIMEOUT": "compilation timed out", "MEMORY_LIMIT": "compiler ran out of memory",
                      "OUTPUT_LIMIT": "compiler output too long"}.get(verdict, "")
            errors[i] = (reason + "\n" if reason else "") + tail
        commands[i] = limits.prlimit_prefix() + [binary]

    run_pool([(i,) for i in range(len(programs))], parallelism, build)
    return commands, errors


def run_pool(pairs, workers, job):
    """Runs job(i, j) for every pair on `workers` threads. A tiny pool rather than
    concurrent.futures, whose import (logging, ...) costs ~6 ms of every batch's startup."""
    pending = iter(pairs)
    lock = threading.Lock()
    failures = []

    def worker():
        while not failures:
            with lock:
                pair = next(pending, None)
            if pair is None:
                return
            try:
                job(*pair)
            except BaseException as e:  # a runner bug: stop, and let main() fail loudly
                failures.append(e)

    threads = [threading.Thread(target=worker) for _ in range(min(workers, len(pairs)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]  # no done line: the caller retries the batch


def read_request(stream):
    """The request is normally one line (the executor's), so stdin's EOF is not needed: an
    attach that cannot half-close its stream still works. A multi-line document is read whole."""
    first = stream.readline()
    try:
        return json.loads(first)
    except ValueError:
        return json.loads(first + stream.read())


def main():
    try:
        request = read_request(sys.stdin.buffer)
        language = request["language"]
        programs = [str(p) for p in request["programs"]]
        # "replace": a lone surrogate in an input must not crash the whole batch.
        inputs = [str(s).encode("utf-8", "replace") for s in request["inputs"]]
        parallelism = max(1, int(request.get("parallelism", 1)))
        limits = Limits(request.get("limits", {}), parallelism)
    except Exception as e:  # bad JSON, missing keys, wrong types: all the same to the caller
        fail("malformed request: %r" % (e,))
    if language not in ("python", "cpp"):
        fail("unsupported language %r (use python or cpp)" % (language,))
    if language == "cpp" and not have_compiler():
        fail("this image has no C++ compiler: use the cpp sandbox image")
    global NONCE
    NONCE = request.get("nonce")
    shield()

    global SWEEP
    SWEEP = sweep_enabled()
    os.makedirs(WORKDIR, exist_ok=True)
    commands = []
    errors = []
    if language == "cpp":
        commands, errors = prepare_cpp(programs, limits, parallelism)
    else:
        commands, errors = prepare_python(programs, limits)

    def run(i, j):
        if errors[i] is not None:
            return "COMPILE_ERROR", "", errors[i][-STDERR_TAIL_BYTES:], 1, 0.0
        return execute(commands[i], inputs[j], limits)

    def report(i, j, result):
        verdict, stdout, stderr_tail, code, wall = result
        emit({"program": i, "input": j, "verdict": verdict, "stdout": stdout,
              "stderrTail": stderr_tail, "exitCode": code, "wallSeconds": round(wall, 4)})

    deferred = []

    def job(i, j):
        result = run(i, j)
        contended = result[0] == "RUNTIME_ERROR" and any(m in result[2] for m in CONTENTION_MARKERS)
        if contended and parallelism > 1:
            deferred.append((i, j, result))
        else:
            report(i, j, result)

    pairs = [(i, j) for i in range(len(programs)) for j in range(len(inputs))]
    run_pool(pairs, parallelism, job)
    # Re-runs get at most the parallel phase's own budget again, so the caller's deadline
    # (twice the parallel phase, plus slack) always holds.
    rerun_end = time.monotonic() + math.ceil(len(pairs) / parallelism) * limits.wall
    for i, j, first in sorted(deferred, key=lambda d: d[:2]):
        alone = time.monotonic() + limits.wall <= rerun_end
        report(i, j, run(i, j) if alone else first)
    emit({"done": True, "count": len(pairs)})


if __name__ == "__main__":
    main()
