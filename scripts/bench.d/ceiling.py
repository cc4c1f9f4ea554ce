"""The server's ceiling: what minimal clients reach on the same server in the same run.

- `ab` (apache2-utils) PUTs and GETs a 4 KiB body at the benchmark's concurrency, with
  keep-alive. ab sends one URL over and over, and concurrent PUTs of one name make the
  object server answer 202 to the losers of the timestamp race (cheaper than a real write),
  so the concurrency is spread over N ab processes of one connection each, one object
  name per process.
- `curl` PUTs and GETs one large object in a single stream.
"""

import os
import re
import subprocess
import time


class CeilingError(RuntimeError):
    pass


def _ab_numbers(text):
    def grab(label, cast=int, default=0):
        m = re.search(rf"^{label}:\s+([\d.]+)", text, re.M)
        return cast(m.group(1)) if m else default
    return {
        "complete": grab("Complete requests"),
        "failed": grab("Failed requests"),
        "non2xx": grab("Non-2xx responses"),
        "seconds": grab("Time taken for tests", float, 0.0),
    }


def _ab_burst(sw, urls, per_process, body_path=None):
    """Run one ab per URL at once; returns requests per second over the whole burst."""
    procs = []
    for url in urls:
        cmd = ["ab", "-k", "-q", "-c", "1", "-n", str(per_process),
               "-H", f"X-Auth-Token: {sw.token}"]
        if body_path:
            cmd += ["-u", body_path, "-T", "application/octet-stream"]
        procs.append(subprocess.Popen(cmd + [url], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True))
    results = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise CeilingError(f"ab exited {proc.returncode}: {out[-300:]}")
        results.append(_ab_numbers(out))
    bad = sum(r["failed"] + r["non2xx"] for r in results)
    if bad:
        raise CeilingError(f"ab saw {bad} failed or non-2xx responses")
    # Every process ran at once: the slowest one bounds the burst.
    return sum(r["complete"] for r in results) / max(r["seconds"] for r in results)


def small_objects(sw, container, workdir, concurrency, total_put, total_get):
    """Requests per second for 4 KiB PUTs and GETs at `concurrency` (a dict)."""
    body = os.path.join(workdir, "ceiling-4k.bin")
    with open(body, "wb") as f:
        f.write(os.urandom(4096))
    urls = [sw.url(container, f"ceiling-{i:03d}") for i in range(concurrency)]
    put = _ab_burst(sw, urls, max(1, total_put // concurrency), body)
    get = _ab_burst(sw, urls, max(1, total_get // concurrency))
    return {"put": put, "get": get}


def large_object(sw, container, path):
    """MiB/s for one object PUT then GET by curl, single stream (a dict)."""
    size = os.path.getsize(path)
    # The token goes through a header file so it is not in `ps`.
    header_file = os.path.join(os.path.dirname(path), "ceiling-headers")
    with open(os.open(header_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(f"X-Auth-Token: {sw.token}\n")
    url = sw.url(container, "ceiling-large")
    rates = {}
    for direction, extra in (("put", ["-X", "PUT", "-T", path]), ("get", [])):
        start = time.monotonic()
        done = subprocess.run(["curl", "-sS", "-f", "-o", "/dev/null", "-H", f"@{header_file}",
                               *extra, url], capture_output=True, text=True)
        seconds = time.monotonic() - start
        if done.returncode != 0:
            raise CeilingError(f"curl {direction.upper()} failed: {done.stderr.strip()}")
        rates[direction] = size / (1 << 20) / seconds
    os.unlink(header_file)
    return rates
