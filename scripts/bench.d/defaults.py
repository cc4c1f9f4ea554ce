"""The measurement behind cfsh's transfer defaults (issue 15, docs/decisions/transfer-defaults.md).

    python3 scripts/bench.d/defaults.py --cfsh .build-release/release/cfsh [--levels 2,4,8,10,16,24]

For every `set parallel` level it times, with cfsh's release binary against the local Swift:
  put -r of N small files (400 x 4 KiB), get -r of them, rmdir --force of their container
  (bulk delete split into `parallel` requests), put -r and get -r of a few large files.
Each level runs `--reps` times (median kept); the levels run in a rotated order in every
repetition, and each repetition first measures the server's ceiling with `ab` (4 KiB PUT and
GET at `--ceiling-concurrency`, see ceiling.py), so the ceiling is from the same minute as the
figures it is compared with. The machine is shared: read the medians, not single runs.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

import ceiling
import measure
import tools
from swiftapi import Swift


def main(argv):
    p = argparse.ArgumentParser(prog="defaults.py", description=__doc__.splitlines()[0])
    p.add_argument("--cfsh", required=True)
    p.add_argument("--levels", default="2,4,8,10,16,24")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--files", type=int, default=400)
    p.add_argument("--file-kib", type=int, default=4)
    p.add_argument("--big-files", type=int, default=4)
    p.add_argument("--big-mib", type=int, default=32)
    p.add_argument("--ceiling-concurrency", type=int, default=24)
    args = p.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]

    sw = Swift(tools.AUTH_URL, tools.USER, tools.KEY)
    run_id = time.strftime("%H%M%S")
    work = tempfile.mkdtemp(prefix="cfsh-defaults-")
    small = os.path.join(work, "small")
    big = os.path.join(work, "big")
    os.makedirs(small)
    os.makedirs(big)
    for i in range(args.files):
        with open(os.path.join(small, f"f{i:05d}.bin"), "wb") as f:
            f.write(os.urandom(args.file_kib * 1024))
    block = os.urandom(1 << 20)
    for i in range(args.big_files):
        with open(os.path.join(big, f"big{i}.bin"), "wb") as f:
            for _ in range(args.big_mib):
                f.write(block)
    samples = {}  # (op, level) -> [seconds]
    ceilings = []  # dicts from ceiling.small_objects
    env = tools.clean_env()
    env.update(ST_AUTH=tools.AUTH_URL, ST_USER=tools.USER, ST_KEY=tools.KEY)
    print(f"defaults sweep {time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; {args.files} x {args.file_kib} KiB, {args.big_files} x "
          f"{args.big_mib} MiB, levels {levels}, {args.reps} reps", flush=True)

    def timed(op, level, statement, log):
        cmd = [args.cfsh, "-c", f"connect; set parallel {level}; {statement}"]
        run = measure.run(cmd, work, env, os.path.join(work, log), 600)
        if not run.sample.ok:
            raise SystemExit(f"{op} at {level} failed: {run.sample.error}\n{run.stderr_tail()}")
        samples.setdefault((op, level), []).append(run.sample.wall)
        return run.sample.wall

    try:
        for rep in range(args.reps):
            c = f"bench-tmp-{run_id}-ceiling-{rep}"
            sw.create_container(c)
            try:
                ceilings.append(ceiling.small_objects(sw, c, work, args.ceiling_concurrency,
                                                      args.files, args.files))
            finally:
                sw.purge(c)
            print(f"rep {rep + 1}: ceiling PUT {ceilings[-1]['put']:.0f}/s GET "
                  f"{ceilings[-1]['get']:.0f}/s", flush=True)
            order = levels[rep % len(levels):] + levels[:rep % len(levels)]
            for level in order:
                c = f"bench-tmp-{run_id}-p{level}-{rep}"
                line = [f"  p{level:<3}"]
                sw.create_container(c)
                try:
                    w = timed("put", level, f"put -r small {c}/", f"put-{level}-{rep}")
                    if sw.wait_count(c, args.files) != args.files:
                        raise SystemExit(f"put at {level}: the container lacks objects")
                    line.append(f"put {args.files / w:6.1f}/s")
                    dst = os.path.join(work, f"dl-{level}-{rep}")
                    os.mkdir(dst)
                    w = timed("get", level, f"get -r {c} {dst}", f"get-{level}-{rep}")
                    line.append(f"get {args.files / w:6.1f}/s")
                    shutil.rmtree(dst)
                    w = timed("delete", level, f"rmdir --force {c}", f"del-{level}-{rep}")
                    line.append(f"delete {args.files / w:6.1f}/s")
                    mib = args.big_files * args.big_mib
                    if not mib:  # --big-files 0: the small-file figures only
                        print("  ".join(line), flush=True)
                        continue
                    sw.create_container(c)
                    w = timed("bigput", level, f"put -r big {c}/", f"bigput-{level}-{rep}")
                    line.append(f"big put {mib / w:6.1f} MiB/s")
                    os.mkdir(dst)
                    w = timed("bigget", level, f"get -r {c} {dst}", f"bigget-{level}-{rep}")
                    line.append(f"big get {mib / w:6.1f} MiB/s")
                    shutil.rmtree(dst)
                finally:
                    sw.purge(c)
                print("  ".join(line), flush=True)
    finally:
        for leftover in sw.list_containers(f"bench-tmp-{run_id}-"):
            sw.purge(leftover)
        shutil.rmtree(work, ignore_errors=True)

    mib = args.big_files * args.big_mib
    print(f"\nMedians of {args.reps} runs (rate = amount / median wall time)")
    print(f"{'parallel':>8} {'put obj/s':>10} {'get obj/s':>10} {'delete obj/s':>13} "
          f"{'big put MiB/s':>14} {'big get MiB/s':>14}")
    for level in levels:
        med = {op: statistics.median(samples[(op, level)]) for op in
               ("put", "get", "delete", "bigput", "bigget") if (op, level) in samples}
        big = (f"{mib / med['bigput']:>14.1f} {mib / med['bigget']:>14.1f}" if "bigput" in med
               else f"{'-':>14} {'-':>14}")
        print(f"{level:>8} {args.files / med['put']:>10.1f} {args.files / med['get']:>10.1f} "
              f"{args.files / med['delete']:>13.1f} {big}")
    puts = [c["put"] for c in ceilings]
    gets = [c["get"] for c in ceilings]
    print(f"ceiling (ab, {args.ceiling_concurrency} connections, 4 KiB, per repetition): PUT "
          f"{', '.join(f'{x:.0f}' for x in puts)} req/s (median {statistics.median(puts):.0f}); "
          f"GET {', '.join(f'{x:.0f}' for x in gets)} req/s (median {statistics.median(gets):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
