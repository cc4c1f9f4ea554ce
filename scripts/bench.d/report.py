"""Collects the samples and prints the table and the server's ceiling."""

import statistics

from swiftapi import BULK_PARALLEL


class Results:
    def __init__(self, rows, tools):
        self.rows, self.tools = rows, tools
        self.samples = {}  # (row key, tool name) -> [Sample]
        self.ceiling = {}  # "put"/"get" (req/s), "curl-put"/"curl-get" (MiB/s), "delete" (obj/s)
        self.ceiling_errors = []

    def add(self, row, tool, sample):
        self.samples.setdefault((row, tool), []).append(sample)

    def summary(self, row, tool):
        """(median wall, median CPU, max RSS, runs passed, runs, first error) or None."""
        samples = self.samples.get((row, tool), [])
        if not samples:
            return None
        good = [s for s in samples if s.ok]
        error = next((s.error for s in samples if not s.ok), None)
        if not good:
            return None, None, None, 0, len(samples), error
        return (statistics.median(s.wall for s in good), statistics.median(s.cpu for s in good),
                max(s.rss_mb for s in good), len(good), len(samples), error)


def _ratio(peer, cfsh):
    return f"{peer / cfsh:.2f}x" if peer is not None and cfsh else "n/a"


def table(results):
    """The table as text: medians over the runs that passed; ratios are peer / cfsh, so a
    ratio above 1 means cfsh was faster (or used less CPU)."""
    head = (f"{'workload':36} {'tool':7} {'ok':>5} {'wall s':>8} {'CPU s':>7} {'RSS MB':>7} "
            f"{'rate':>15} {'%ceil':>6} {'wall/cfsh':>9} {'CPU/cfsh':>8}")
    lines = [head, "-" * len(head)]
    for row in results.rows:
        cfsh = results.summary(row.key, "cfsh")
        cfsh_wall = cfsh[0] if cfsh else None
        cfsh_cpu = cfsh[1] if cfsh else None
        first, noted = True, False
        for tool in results.tools:
            # A cfsh-only row shows the peers' samples of another row again (marked *), so
            # that the ratios compare cfsh's variant with the same peer runs.
            borrowed = row.peers_from is not None and tool != "cfsh"
            s = results.summary(row.peers_from if borrowed else row.key, tool)
            if s is None:
                continue
            title = row.title if first else ""
            if borrowed:
                title = "" if noted else "  * the peers' runs above"
                noted = True
                tool = tool + "*"
            first = False
            wall, cpu, rss, passed, runs, error = s
            if wall is None:
                lines.append(f"{title:36} {tool:7} {passed:>2}/{runs:<2} {error}")
                continue
            rate = row.amount / wall
            rate_text = f"{rate:9.1f} {row.unit:5}" if row.unit else f"{'-':>15}"
            ceiling = results.ceiling.get(row.ceiling) if row.ceiling else None
            pct = f"{100 * rate / ceiling:.0f}%" if ceiling else "-"
            is_cfsh = tool == "cfsh"
            lines.append(
                f"{title:36} {tool:7} {passed:>2}/{runs:<2} {wall:8.2f} {cpu:7.2f} {rss:7.0f} "
                f"{rate_text} {pct:>6} "
                f"{'-' if is_cfsh else _ratio(wall, cfsh_wall):>9} "
                f"{'-' if is_cfsh else _ratio(cpu, cfsh_cpu):>8}")
            if error and passed < runs:
                lines.append(f"{'':36} {'':7} first failure: {error}")
    return "\n".join(lines)


def ceiling_text(results, sizes, concurrency):
    c = results.ceiling
    out = [f"Server ceiling (minimal clients, same server, same run; concurrency {concurrency}):"]
    if "put" in c:
        out.append(f"  ab PUT 4 KiB, keep-alive : {c['put']:7.1f} req/s   "
                   f"({sizes.files:,} files would take {sizes.files / c['put']:.1f} s)")
        if sizes.sync_files:
            out.append(f"  {'':27} workload 5's {sizes.sync_files:,} files: "
                       f"{sizes.sync_files / c['put']:.1f} s up, {sizes.sync_files / c['get']:.1f} s down")
        out.append(f"  ab GET 4 KiB, keep-alive : {c['get']:7.1f} req/s   "
                   f"({sizes.files:,} files would take {sizes.files / c['get']:.1f} s)")
    if "curl-put" in c:
        out.append(f"  curl PUT {sizes.big_mib} MiB, 1 stream : {c['curl-put']:7.1f} MiB/s")
        out.append(f"  curl GET {sizes.big_mib} MiB, 1 stream : {c['curl-get']:7.1f} MiB/s")
    if "delete" in c:
        out.append(f"  bulk-delete, {BULK_PARALLEL} requests at once (the harness's own cleanups): "
                   f"{c['delete']:7.1f} obj/s")
    for error in results.ceiling_errors:
        out.append(f"  FAILED: {error}")
    if len(out) == 1:
        out.append("  not measured (--no-ceiling)")
    return "\n".join(out)


def sync_goals(results):
    """Issue 15's goals for workload 5, each with the figures it was judged on."""
    out = ["Issue 15 goals (workload 5):"]

    def med(row, tool, i):
        s = results.summary(row, tool)
        return s[i] if s and s[0] is not None else None

    first = med("s-first", "cfsh", 0)
    put = results.ceiling.get("put")
    row = next((r for r in results.rows if r.key == "s-first"), None)
    if first and put and row:
        pct = 100 * row.amount / first / put
        out.append(f"  first sync at >= 90% of the PUT ceiling: {pct:.0f}% "
                   f"({row.amount / first:.1f} of {put:.1f} obj/s)  {'met' if pct >= 90 else 'MISSED'}")
    cw, cc = med("s-again", "cfsh", 0), med("s-again", "cfsh", 1)
    rw, rc = med("s-again", "rclone", 0), med("s-again", "rclone", 1)
    if cw and rw:
        ok = rw / cw >= 2 and cc is not None and rc and cc <= rc / 2
        out.append(f"  nothing-changed sync 2x faster than rclone with at most half its CPU: "
                   f"{rw / cw:.2f}x wall, CPU {cc:.2f} s vs {rc:.2f} s  {'met' if ok else 'MISSED'}")
    rss = [(r.key, med(r.key, "cfsh", 2)) for r in results.rows if r.key.startswith("s-")]
    rss = [(k, v) for k, v in rss if v is not None]
    if rss:
        worst = max(rss, key=lambda kv: kv[1])
        out.append(f"  cfsh peak RSS under 64 MB on every row: max {worst[1]:.0f} MB ({worst[0]})  "
                   f"{'met' if worst[1] < 64 else 'MISSED'}")
    if len(out) == 1:
        out.append("  not judged: cfsh or rclone has no passing run")
    return "\n".join(out)
