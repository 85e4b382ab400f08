"""The student's process: started apart, limited in time and memory, in a scratch folder (grading).

On Linux with bubblewrap (`bwrap`, Debian's package of the same name) that works here, the process sees the
file system read-only except its scratch folder and a private /tmp, the course folder hidden, no network,
and dies with the grader. Without bubblewrap it runs as user `nobody` when the grader is root (so it cannot
write the package or the gradebook), else as the grader's own user: then it can read and write what the
grader's user can. Either way resource limits bound its memory (RLIMIT_AS), CPU time, file size and number
of processes, and the grader stops it when a request takes longer than its time-out.
"""

import functools
import json
import os
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time

MEMORY = 4 * 2**30  # bytes of address space; a lesson needs well under 1 GiB
FILE_SIZE = 64 * 2**20  # bytes any one file may grow to (the output file is also cut between cells)
MAX_REPLY = 64 * 2**20  # characters of one reply; a longer one is a flood (a lesson's graphs take a few MB)
NOBODY = 65534


class Stopped(Exception):
    """The student's process died or was stopped; `why` says which (killed, time-out, flood, malformed)."""

    def __init__(self, why):
        super().__init__(why)
        self.why = why


@functools.lru_cache(maxsize=1)
def bubblewrap():
    """The path of a bwrap that can start a sandbox here (checked once), or None."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = subprocess.run([path, *_bwrap_args("/", "/tmp"), "true"], capture_output=True, timeout=30)
    return path if probe.returncode == 0 else None


def _bwrap_args(hide, scratch):
    """bubblewrap's options: everything read-only, `hide` (the course folder) hidden, `scratch` writable."""
    args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for path in _under_tmp():
        args += ["--ro-bind", path, path]
    if hide != "/":
        args += ["--tmpfs", hide]
    return args + ["--bind", scratch, scratch, "--chdir", scratch, "--unshare-all", "--die-with-parent",
                   "--new-session"]


def _under_tmp():
    """The folders of this Python and its packages that lie under /tmp (a venv or a course checkout there, as a CI
    clone may be): the private /tmp would hide them, so they come back read-only (the grader, all lessons)."""
    wanted = [sys.prefix, sys.base_prefix, os.path.dirname(sys.executable), *sys.path,
              os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]  # the folder microgpt is imported from
    found = {os.path.realpath(p) for p in wanted if p and os.path.isdir(p)}
    return sorted(p for p in found if p.startswith("/tmp/"))


def _limits(cpu_seconds, memory, drop):
    """Set the limits in the child before it starts Python (and become nobody when `drop`)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.setsid()
    if drop:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))


class Worker:
    """One student's process; `request` sends one message and waits for its answer within a time-out."""

    def __init__(self, hide, cpu_seconds=3600, env=None, memory=MEMORY):
        self.scratch = tempfile.mkdtemp(prefix="microgpt-grading-")
        command = [sys.executable, "-m", "microgpt.grading.worker"]
        bwrap = bubblewrap()
        drop = bwrap is None and os.getuid() == 0
        if bwrap:
            command = [bwrap, *_bwrap_args(os.path.abspath(hide), self.scratch), *command]
        elif drop:
            os.chown(self.scratch, NOBODY, NOBODY)
        self.sandbox = "bubblewrap" if bwrap else ("rlimits, as nobody" if drop else "rlimits only")
        environment = {**os.environ, **(env or {}), "MPLBACKEND": "Agg", "HOME": self.scratch, "PYTHONPATH": "",
                       "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.scratch, env=environment,
            preexec_fn=functools.partial(_limits, cpu_seconds, memory, drop), text=True, encoding="utf-8")
        self.count, self.buffer = 0, ""

    def request(self, op, timeout, **fields):
        """Send a request; its reply (a dict) or Stopped when the process dies, times out or floods."""
        self.count += 1
        try:
            self.process.stdin.write(json.dumps({"op": op, "id": self.count, **fields}) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._stop("killed") from None
        line = self._read_line(timeout)
        try:
            reply = json.loads(line)
            if not isinstance(reply, dict) or reply.get("id") != self.count:
                raise ValueError("not the answer to this request")
        except (ValueError, RecursionError):
            raise self._stop("malformed") from None
        return reply

    def _read_line(self, timeout):
        """One line from the worker, within `timeout` seconds and MAX_REPLY characters."""
        deadline, fd = time.monotonic() + timeout, self.process.stdout.fileno()
        chunks, size = [], 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._stop("time-out")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            data = os.read(fd, 1 << 20)
            if not data:
                raise self._stop("killed")
            end = data.find(b"\n")
            chunks.append(data if end < 0 else data[:end])
            size += len(data)
            if size > MAX_REPLY:
                raise self._stop("flood")
            if end >= 0:
                return b"".join(chunks).decode("utf-8", errors="replace")

    def _stop(self, why):
        """Kill the process (its whole session) and say why."""
        self.close()
        return Stopped(why)

    def output(self):
        """The last of the student's printed output (for the report)."""
        try:
            with open(os.path.join(self.scratch, "output.txt"), encoding="utf-8", errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def close(self):
        """Stop the process and remove its scratch folder."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)
            except OSError:
                self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)
