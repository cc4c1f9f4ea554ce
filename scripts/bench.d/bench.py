"""cfsh's benchmark driver (issues 6 and 15). scripts/bench builds cfsh and starts the server,
then runs this; see `scripts/bench --help`.

Tools run in alternation: within each repetition every workload runs with each tool in
turn, and the order rotates from one repetition to the next, so drift in the shared
machine's load falls on all tools alike.
"""

import argparse
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import ceiling
import report
import tools
import workloads
from swiftapi import Swift

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STATE = os.environ.get("CFSH_STATE_DIR", os.path.join(REPO, ".state"))


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench", description=(
        "Run issue 6's workloads (1-4) and issue 15's sync workload (5) with cfsh, "
        "python-swiftclient's swift CLI and rclone against the local Swift, every tool with "
        "its own defaults, and print medians, ratios and the server's ceiling."))
    p.add_argument("--quick", action="store_true",
                   help="smaller sizes and one repetition (about 5 minutes)")
    p.add_argument("--reps", type=int,
                   help="repetitions of every workload (default: full 2,2,3,1,1; quick 1)")
    p.add_argument("--only", default="1,2,3,4,5", help="workloads to run, e.g. 1,3 or 5")
    p.add_argument("--files", type=int,
                   help="files in workload 5's synced tree (default: full 10000, quick 1000); "
                        "1%% of them are changed and 1%% deleted for its --delete row")
    p.add_argument("--tools", default="cfsh,swift,rclone", help="tools to run")
    p.add_argument("--ceiling-concurrency", type=int, default=24,
                   help="connections of the ab ceiling (default 24, past the server's plateau "
                        "on the 2-core test machine, as in docs/decisions/transfer-defaults.md). "
                        "The tools are never given a concurrency: each runs at its default")
    p.add_argument("--no-ceiling", action="store_true", help="skip the ab/curl ceiling")
    p.add_argument("--cfsh", default=os.path.join(REPO, ".build-release", "release", "cfsh"))
    p.add_argument("--cfsh-missing", help=argparse.SUPPRESS)  # set by scripts/bench
    p.add_argument("--swift-cli", default=os.path.join(STATE, "venv", "bin", "swift"))
    p.add_argument("--no-build", action="store_true",
                   help="use the cfsh binary already built (handled by scripts/bench)")
    return p.parse_args(argv)


def version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def main(argv):
    args = parse_args(argv)
    sizes = workloads.QUICK if args.quick else workloads.FULL
    if args.reps:
        sizes = dataclasses.replace(sizes, reps={w: args.reps for w in sizes.reps})
    only = [w for w in args.only.split(",") if w]
    if not set(only) <= set(workloads.WORKLOADS):
        sys.exit(f"bench: --only takes workload numbers 1-5, not {args.only}")
    if args.files is not None:
        if args.files < 100:
            sys.exit(f"bench: --files takes at least 100, not {args.files}")
        sizes = dataclasses.replace(sizes, sync_files=args.files,
                                    sync_changes=max(1, args.files // 100))
    if "5" not in only:
        sizes = dataclasses.replace(sizes, sync_files=0)
    tool_names = [t for t in args.tools.split(",") if t]
    if not set(tool_names) <= {"cfsh", "swift", "rclone"}:
        sys.exit(f"bench: --tools takes cfsh, swift and rclone, not {args.tools}")

    run_id = time.strftime("%H%M%S")
    workdir = tempfile.mkdtemp(prefix="cfsh-bench-")
    logdir = os.path.join(STATE, "bench", "last")
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)

    every = {
        "cfsh": lambda: tools.Cfsh(os.path.abspath(args.cfsh), args.cfsh_missing),
        "swift": lambda: tools.SwiftCLI(args.swift_cli),
        "rclone": lambda: tools.Rclone(shutil.which("rclone"), workdir),
    }
    chosen = [every[name]() for name in tool_names]
    names = [t.name for t in chosen]
    rows = [r for r in workloads.rows(sizes)
            if any(r.key in workloads.WORKLOAD_ROWS[w] for w in only)]
    results = report.Results(rows, names)

    started = time.monotonic()
    print(f"cfsh benchmark, {'quick' if args.quick else 'full'} mode, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
          f"load average at start {os.getloadavg()[0]:.2f}; repetitions " +
          ", ".join(f"w{w} x{sizes.reps[w]}" for w in only))
    print("  Every tool runs with its OWN DEFAULTS, as its users get it: no --parallel, "
          "--transfers or --object-threads is given to any (workload 2 alone sets all three to "
          "the same segment size)")
    for t in chosen:
        if t.missing:
            print(f"  {t.name:7} MISSING: {t.missing}")
        elif t.name == "cfsh":
            print(f"  cfsh    {t.binary} ({version([t.binary, '--version'])}), its defaults "
                  f"({cfsh_default(t.binary)})")
        elif t.name == "swift":
            print(f"  swift   {version([t.binary, '--version'])}, its defaults (10 threads)")
        else:
            print(f"  rclone  {version([t.binary, 'version'])}, its defaults "
                  f"(4 transfers, 8 checkers)")
    if os.getloadavg()[0] > os.cpu_count():
        print(f"  WARNING: the machine is already busy (load {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores): wall times and the ceiling will be low and noisy; "
              f"CPU seconds and RSS still hold")
    sys.stdout.flush()
    for t in chosen:
        if t.missing:
            print(f"\n!!! bench: {t.name} cannot run: {t.missing}. Its rows will say so and "
                  f"the benchmark will exit 1.\n", file=sys.stderr, flush=True)

    sw = Swift(tools.AUTH_URL, tools.USER, tools.KEY)
    ctx = workloads.Context(sw, workdir, logdir, sizes, run_id, results)
    # Where the minutes go, setup and cleanup included: the untimed server-side work
    # (creating and deleting thousands of objects) is most of a full run.
    phases = {}
    clock = time.monotonic()

    def lap(phase):
        nonlocal clock
        now = time.monotonic()
        phases[phase] = phases.get(phase, 0.0) + now - clock
        clock = now

    # A SIGTERM (a CI timeout, someone else's clean-up) ends the run like Ctrl-C: the
    # containers are still purged and the table still prints what was measured.
    def terminated(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, terminated)
    interrupted = None
    try:
        for stale in sw.list_containers("bench-tmp-"):
            print(f"bench: removing {stale}, left by an interrupted run", file=sys.stderr)
            sw.purge(stale)
        print("bench: writing fixtures", file=sys.stderr, flush=True)
        workloads.make_fixtures(ctx)
        lap("fixtures")
        list_container = workloads.ensure_listing_container(ctx) if "3" in only else None
        lap("listing container")
        if not args.no_ceiling:
            measure_ceiling(ctx, args.ceiling_concurrency)
            lap("ceiling")
        for rep in range(max(sizes.reps[w] for w in only)):
            for w in only:
                if rep >= sizes.reps[w]:
                    continue
                print(f"bench: workload {w}, repetition {rep + 1}", file=sys.stderr, flush=True)
                for i in range(len(chosen)):
                    tool = chosen[(i + rep) % len(chosen)]
                    if tool.missing:
                        for row in workloads.WORKLOAD_ROWS[w]:
                            ctx.skip(row, tool, f"MISSING: {tool.missing}")
                    elif w == "3":
                        workloads.listing(ctx, tool, rep, list_container)
                    else:
                        workloads.WORKLOADS[w](ctx, tool, rep)
                lap(f"workload {w}")
    except KeyboardInterrupt as e:
        interrupted = str(e) or "interrupted"
        print(f"\n!!! bench: INTERRUPTED ({interrupted}); the table shows the runs completed "
              f"so far\n", file=sys.stderr, flush=True)
    finally:
        for leftover in sw.list_containers(f"bench-tmp-{run_id}-"):
            sw.purge(leftover)
        shutil.rmtree(workdir, ignore_errors=True)

    if ctx.delete_seconds:
        results.ceiling["delete"] = ctx.deleted_objects / ctx.delete_seconds
    elapsed = time.monotonic() - started
    print()
    print(report.table(results))
    print()
    print(report.ceiling_text(results, sizes, args.ceiling_concurrency))
    if "5" in only:
        print()
        print(report.sync_goals(results))
    print(f"\nTotal {elapsed / 60:.1f} min (" +
          ", ".join(f"{k} {v:.0f} s" for k, v in phases.items() if v >= 0.5) +
          f"); load average at end {os.getloadavg()[0]:.2f}. Logs: {logdir}")
    save_json(results, sizes, args, os.path.join(logdir, "results.json"))

    problems = ctx.failures + [f"{t.name}: MISSING: {t.missing}" for t in chosen if t.missing]
    if interrupted:
        problems.append(f"the run was interrupted ({interrupted}): rows are incomplete")
    problems += [f"ceiling: {e}" for e in results.ceiling_errors]
    if problems:
        print(f"\nbench: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    return 0


def cfsh_default(binary):
    """What `set` prints for parallel in a fresh cfsh: the default the tool runs with."""
    try:
        out = subprocess.run([binary, "-c", "set"], capture_output=True, text=True, timeout=20,
                             env=tools.clean_env())
        return next((line for line in out.stdout.splitlines() if line.startswith("parallel")),
                    "parallel unknown")
    except (OSError, subprocess.TimeoutExpired):
        return "parallel unknown"


def measure_ceiling(ctx, concurrency):
    s, sw = ctx.sizes, ctx.sw
    container = f"bench-tmp-{ctx.run_id}-ceiling"
    print("bench: measuring the server's ceiling (ab, curl)", file=sys.stderr, flush=True)
    sw.create_container(container)
    try:
        ctx.results.ceiling.update(ceiling.small_objects(sw, container, ctx.workdir, concurrency,
                                                         s.ab_put, s.ab_get))
    except ceiling.CeilingError as e:
        ctx.results.ceiling_errors.append(str(e))
    try:
        big = ceiling.large_object(sw, container, os.path.join(ctx.workdir, workloads.BIG_NAME))
        ctx.results.ceiling.update({"curl-put": big["put"], "curl-get": big["get"]})
    except ceiling.CeilingError as e:
        ctx.results.ceiling_errors.append(str(e))
    finally:
        sw.purge(container)
    for key, value in ctx.results.ceiling.items():
        unit = "MiB/s" if key.startswith("curl") else "req/s"
        print(f"  ceiling {key:8} {value:7.1f} {unit}", file=sys.stderr, flush=True)
    for error in ctx.results.ceiling_errors:
        print(f"\n!!! bench: ceiling FAILED: {error}\n", file=sys.stderr, flush=True)


def save_json(results, sizes, args, path):
    """Every sample, for comparing runs later."""
    data = {
        "mode": "quick" if args.quick else "full",
        "sizes": vars(sizes),
        "ceiling_concurrency": args.ceiling_concurrency,
        "ceiling": results.ceiling,
        "samples": [{"row": row, "tool": tool, "wall": s.wall, "cpu": s.cpu,
                     "rss_mb": s.rss_mb, "error": s.error}
                    for (row, tool), samples in results.samples.items() for s in samples],
    }
    with open(path, "w") as f:
        json.dump(data, f, indent=1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
