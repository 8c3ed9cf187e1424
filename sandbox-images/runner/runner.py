"""Quarry's in-container runner: runs every (program, input) pair of one batch.

Reads ONE JSON document on stdin (the executor sends it as one line, so EOF is not awaited):
  {"language": "python" | "cpp", "programs": [src, ...], "inputs": [str, ...],
   "limits": {"wallSeconds": 5.0, "memoryMb": 256, "outputBytes": 1048576},
   "parallelism": 2, "nonce": "<random>", "uidBase": 1234567}
(uidBase: the first of the uids the executions and compiles run under, see Layout.)
Writes one JSON line per execution, in completion order:
  {"program": i, "input": j, "verdict": "OK", "stdout": "...", "stderrTail": "...",
   "exitCode": 0, "wallSeconds": 0.01, "nonce": "<random>"}
then {"done": true, "count": N, "nonce": "<random>"}. The done line is the positive evidence that
the batch ran to the end: the caller treats its absence, or a wrong count, as a disrupted batch.

Isolation (docs/sandbox.md has the threat model). The container starts as root holding only
CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_CHOWN and CAP_DAC_OVERRIDE, with
no-new-privileges. The runner (and docker-init, PID 1) stay root; every execution runs under a
uid of its own (uidBase + its index), every compile under another, and a program's group owns
its code. Setting a non-zero uid clears every capability, so programs hold none. Hence a
program cannot signal, ptrace or open the /proc fds of the runner, PID 1 or a neighbour (all
need the same uid), cannot write the report (the runner's stdout is reachable only through
those fds), cannot change its own or read a neighbour's code (root-owned, group-readable
only). After each execution every process of its uid is killed and everything it left in /tmp,
/dev/shm and SysV IPC is removed, so the next execution starts clean. The nonce stays as a
second check that a line is the runner's.

exitCode: the exit status, or -signal when killed; 1 for a COMPILE_ERROR (never run).
Python 3 stdlib only. The container is the security boundary against the host; the uids and
limits here make each execution's verdict independent of its neighbours.

Run it only inside the sandbox image: it refuses to start unless it is root in a container
(QUARRY_SANDBOX=1), since it kills processes and deletes files of the execution uids.
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

# Per runner process, so running the runner twice in one container never collides. Root-owned
# 0711: programs can reach their own paths inside but cannot list or create anything.
WORKDIR = "/tmp/quarry-%d" % os.getpid()
STDERR_TAIL_BYTES = 2048
CHUNK = 1 << 16
# Threads/processes an execution may have (RLIMIT_NPROC counts its own uid only).
EXTRA_PROCESSES = 16
# Per-file write cap for anything a program writes under /tmp (the tmpfs is capped too).
FILE_SIZE_BYTES = 16 << 20
# After the program exits, how long to wait for a pipe still held open by a killed descendant.
DRAIN_GRACE_SECONDS = 0.1
MEMORY_MARKERS = (b"MemoryError", b"Cannot allocate memory", b"std::bad_alloc", b"out of memory")
# Every execution has a uid of its own, so RLIMIT_NPROC no longer couples neighbours; the
# container's pids cgroup still could, under a tight pidsLimit. Failures with these signatures
# are run again, alone, once the parallel phase is over.
CONTENTION_MARKERS = ("can't start new thread", "Resource temporarily unavailable")
# The lowest uid/gid the executor may hand out: far above any uid of the image or the host's
# usual users, so an execution uid owns nothing but what its program creates.
MIN_UID_BASE = 100000
# Where a program may leave files or IPC objects that must not reach the next execution.
SHARED_SCRATCH = ("/tmp", "/dev/shm")
SYSV_IPC = (("/proc/sysvipc/shm", "-m"), ("/proc/sysvipc/sem", "-s"), ("/proc/sysvipc/msg", "-q"))

# Catchable signals sent to PID 1 are forwarded to the runner: a handler that does nothing.
# (Programs can no longer signal either, being other uids; this guards against the engine's
# own stop signal racing a batch that is about to finish.) Not SIG_IGN, which children inherit.
SHIELDED_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM",
                    "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGWINCH")
PR_SET_DUMPABLE = 4
# C++: compiled once per program, before any execution, under limits of its own.
CPP_COMPILE = ["g++", "-std=c++17", "-O2", "-pipe", "-w"]
CPP_COMPILE_SECONDS = 30
CPP_COMPILE_MEMORY_BYTES = 1 << 30

_out_lock = threading.Lock()
NONCE = None


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
    """Keep catchable signals from ending the runner and its memory closed to everyone."""
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
        # The execution uid's task count: the program, its threads and children. Fork bombs
        # stop here, and only ever at their own uid's cap.
        self.processes = 2 + EXTRA_PROCESSES

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


class Identity:
    """Who an execution (or a compile) runs as: its own uid, its program's gid, and a private
    scratch directory (cwd, HOME and TMPDIR) that only that uid can enter."""

    def __init__(self, uid, gid, scratch):
        self.uid = uid
        self.gid = gid
        self.scratch = scratch

    def create(self):
        os.mkdir(self.scratch, 0o700)
        os.chown(self.scratch, self.uid, self.gid)

    def environment(self):
        return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": self.scratch,
                "TMPDIR": self.scratch}


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


def uids_of(pid):
    """Real, effective, saved and fs uid of a process (from status: /proc/<pid> itself is
    root-owned once a program makes itself non-dumpable), or () when it is gone."""
    try:
        with open("/proc/%s/status" % pid, "rb") as f:
            for line in f:
                if line.startswith(b"Uid:"):
                    return tuple(int(v) for v in line.split()[1:])
    except (OSError, ValueError):
        pass
    return ()


def kill_uid(uid):
    """SIGKILL every process of `uid` until none is left: whatever an execution started, in any
    session or process group, ends with it. Bounded: a fork bomb is capped by RLIMIT_NPROC and
    killed processes cannot fork."""
    for _ in range(100):
        found = False
        for entry in os.listdir("/proc"):
            if entry.isdigit() and uid in uids_of(entry):
                found = True
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass
        if not found:
            return
        time.sleep(0.001)


def remove_paths(paths):
    """rm -rf, as the runner (root with CAP_DAC_OVERRIDE: a program's chmod 000 or a tree
    deeper than Python's recursion limit stop neither), never following symlinks."""
    if paths:
        subprocess.run(["rm", "-rf", "--one-file-system", "--"] + paths,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, close_fds=True)


def sysv_objects_of(uid):
    """(ipcrm flag, id) of every SysV shared memory segment, semaphore set and message queue
    that `uid` owns or created."""
    found = []
    for table, flag in SYSV_IPC:
        try:
            with open(table) as f:
                header = f.readline().split()
                id_col, uid_col, cuid_col = header.index("shmid" if flag == "-m" else
                                                         "semid" if flag == "-s" else "msqid"), \
                    header.index("uid"), header.index("cuid")
                for line in f:
                    cols = line.split()
                    if int(cols[uid_col]) == uid or int(cols[cuid_col]) == uid:
                        found.append((flag, cols[id_col]))
        except (OSError, ValueError, IndexError):
            pass
    return found


def clean_up_after(identity):
    """Nothing of an ended execution survives it: its processes, its scratch directory, what it
    left in the shared /tmp and /dev/shm, and its SysV IPC objects."""
    kill_uid(identity.uid)
    leftovers = []
    try:
        os.rmdir(identity.scratch)
    except FileNotFoundError:
        pass
    except OSError:
        leftovers.append(identity.scratch)
    for shared in SHARED_SCRATCH:
        try:
            with os.scandir(shared) as entries:
                for entry in entries:
                    try:
                        if entry.stat(follow_symlinks=False).st_uid == identity.uid:
                            leftovers.append(entry.path)
                    except OSError:
                        pass
        except OSError:
            pass
    remove_paths(leftovers)
    objects = sysv_objects_of(identity.uid)
    if objects:
        # Removing another uid's IPC object needs CAP_SYS_ADMIN, which nobody here has: its
        # owner removes it. ipcrm is a small C binary; the uid's own processes are all dead.
        args = ["ipcrm"]
        for flag, ipc_id in objects:
            args += [flag, ipc_id]
        subprocess.run(args, user=identity.uid, group=identity.gid, extra_groups=[],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, close_fds=True)


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


def execute(command, stdin_bytes, limits, identity, before_cleanup=None):
    """Runs one program on one input as `identity`, then removes every trace of it; returns
    (verdict, stdout, stderr_tail, exit_code, wall)."""
    identity.create()
    start = time.monotonic()
    # setgroups, setgid, setuid, then exec: the child drops every capability with uid 0, and
    # no-new-privileges keeps it from getting any back. umask 077: nothing it creates in the
    # shared /tmp or /dev/shm is readable by a concurrent neighbour.
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=identity.scratch,
        env=identity.environment(),
        start_new_session=True,
        close_fds=True,
        user=identity.uid,
        group=identity.gid,
        extra_groups=[],
        umask=0o077,
    )
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
        kill_uid(identity.uid)
        if before_cleanup is not None:
            before_cleanup()
        clean_up_after(identity)
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


class Layout:
    """Uids, gids and paths of one batch. Execution k = i * inputs + j runs as uid base + k;
    program i's compile as uid base + executions + i; every process of program i has gid
    base + i, which owns (read/execute only) program i's directory: its executions can read
    and run their code, nobody can change it, and other programs cannot even read it."""

    def __init__(self, base, programs, inputs):
        self.base = base
        self.inputs = inputs
        self.executions = programs * inputs

    def gid(self, i):
        return self.base + i

    def program_dir(self, i):
        return os.path.join(WORKDIR, "p%d" % i)

    def execution(self, i, j):
        k = i * self.inputs + j
        return Identity(self.base + k, self.gid(i), os.path.join(WORKDIR, "e%d" % k))

    def compilation(self, i):
        return Identity(self.base + self.executions + i, self.gid(i),
                        os.path.join(WORKDIR, "c%d" % i))

    def install(self, i, name, data, mode):
        """Writes one of program i's files: root-owned, group i, `mode` (never writable)."""
        directory = self.program_dir(i)
        if not os.path.isdir(directory):
            os.mkdir(directory, 0o750)
            os.chown(directory, 0, self.gid(i))
            os.chmod(directory, 0o750)
        path = os.path.join(directory, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chown(path, 0, self.gid(i))
        os.chmod(path, mode)
        return path


def prepare_python(programs, limits, layout):
    commands, errors = [], []
    for i, source in enumerate(programs):
        path = layout.install(i, "main.py", source.encode("utf-8", "replace"), 0o440)
        errors.append(compile_error(source, "p%d.py" % i))
        # -I: isolated (no env, no user site, script dir not on sys.path); -B: read-only fs.
        commands.append(limits.prlimit_prefix() + [sys.executable, "-I", "-B", path])
    return commands, errors


def have_compiler():
    return any(os.access(os.path.join(d, "g++"), os.X_OK) for d in ("/usr/bin", "/bin"))


def prepare_cpp(programs, limits, parallelism, layout):
    """Compiles every program (in parallel) with g++ under a compile uid of its own; a failed
    compile is that program's COMPILE_ERROR verdict on every input, with the compiler's message
    as its stderr. The binary is then copied (a fresh inode the compile uid never held) into
    the program's directory, runnable by the program's group, writable by nobody."""
    compile_limits = Limits({"wallSeconds": CPP_COMPILE_SECONDS,
                             "memoryMb": CPP_COMPILE_MEMORY_BYTES >> 20,
                             "outputBytes": 1 << 20}, parallelism)
    # cc1plus and as run as children of g++ under the same uid: room for them.
    compile_limits.processes += 8
    commands = [None] * len(programs)
    errors = [None] * len(programs)

    def build(i):
        source = layout.install(i, "main.cpp", programs[i].encode("utf-8", "replace"), 0o440)
        identity = layout.compilation(i)
        built = os.path.join(identity.scratch, "a.out")
        binary = None

        def keep_binary():
            nonlocal binary
            # Still inside execute(): the compile uid's processes are dead, its files not yet
            # removed. Read as root, written as a new root-owned file.
            if os.path.isfile(built) and not os.path.islink(built):
                with open(built, "rb") as f:
                    binary = layout.install(i, "main", f.read(), 0o550)

        verdict, _, tail, code, _ = execute(
            compile_limits.prlimit_prefix() + CPP_COMPILE + ["-o", built, source], b"",
            compile_limits, identity, before_cleanup=keep_binary)
        if verdict != "OK" or binary is None:
            reason = {"TIMEOUT": "compilation timed out", "MEMORY_LIMIT": "compiler ran out of memory",
                      "OUTPUT_LIMIT": "compiler output too long"}.get(verdict, "")
            errors[i] = (reason + "\n" if reason else "") + tail
        commands[i] = limits.prlimit_prefix() + [binary or "/bin/false"]

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
        uid_base = int(request["uidBase"])
    except Exception as e:  # bad JSON, missing keys, wrong types: all the same to the caller
        fail("malformed request: %r" % (e,))
    if language not in ("python", "cpp"):
        fail("unsupported language %r (use python or cpp)" % (language,))
    if language == "cpp" and not have_compiler():
        fail("this image has no C++ compiler: use the cpp sandbox image")
    if uid_base < MIN_UID_BASE or uid_base + len(programs) * (len(inputs) + 1) >= 1 << 31:
        fail("uidBase %d out of range (%d .. 2^31 - executions - programs)" % (uid_base, MIN_UID_BASE))
    if os.environ.get("QUARRY_SANDBOX") != "1" or os.getuid() != 0:
        # Root in the container is what puts the runner out of the programs' reach; run any
        # other way (by hand on a host, or an old executor's non-root user) it refuses.
        fail("the runner must run as root inside the sandbox image (got uid %d); "
             "the executor starts it so" % os.getuid())
    global NONCE
    NONCE = request.get("nonce")
    shield()

    os.mkdir(WORKDIR, 0o711)
    os.chmod(WORKDIR, 0o711)
    layout = Layout(uid_base, len(programs), len(inputs))
    if language == "cpp":
        commands, errors = prepare_cpp(programs, limits, parallelism, layout)
    else:
        commands, errors = prepare_python(programs, limits, layout)

    def run(i, j):
        if errors[i] is not None:
            return "COMPILE_ERROR", "", errors[i][-STDERR_TAIL_BYTES:], 1, 0.0
        return execute(commands[i], inputs[j], limits, layout.execution(i, j))

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
