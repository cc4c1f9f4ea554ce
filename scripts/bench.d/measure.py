"""Runs one client command and measures it: wall time, CPU (user+sys) and peak RSS.

`os.wait4` returns the resource usage of exactly the child we waited for (and any of its
own children it reaped), so the numbers are the client's alone, not the server's and not
this driver's.
"""

import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Sample:
    """One timed run of one tool on one workload row."""
    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    error: str | None = None  # None when the run succeeded and verified
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return self.error is None


@dataclass
class Run:
    """What the child did: its measurements, exit code and where its output went."""
    sample: Sample
    returncode: int
    stdout_path: str
    stderr_path: str
    command: list

    def stderr_tail(self, lines=15):
        try:
            with open(self.stderr_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def run(command, cwd, env, log_prefix, timeout):
    """Run `command` with stdout and stderr going to `log_prefix`.out/.err, and measure it.
    A run that outlives `timeout` seconds is killed and reported as a failure."""
    out_path, err_path = log_prefix + ".out", log_prefix + ".err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        killed = threading.Event()

        def kill():
            killed.set()
            proc.kill()

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        try:
            # wait4 rather than proc.wait(): only wait4 hands back the child's rusage.
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()  # interrupted (SIGTERM, Ctrl-C): leave no tool running behind
            proc.wait()
            raise
        finally:
            watchdog.cancel()
        wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits on it again
    sample = Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024.0,  # Linux reports KiB
    )
    if killed.is_set():
        sample.error = f"timed out after {timeout:.0f} s"
    elif proc.returncode != 0:
        sample.error = f"exit status {proc.returncode}"
    return Run(sample, proc.returncode, out_path, err_path, command)


def show(command, redact=()):
    """The command as a shell line, for failure reports, with secrets replaced."""
    line = shlex.join(command)
    for secret in redact:
        if secret:
            line = line.replace(secret, "<redacted>")
    return line
