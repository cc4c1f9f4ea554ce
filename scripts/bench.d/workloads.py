"""The workloads: issue 6's four (1-4) and issue 15's sync (5), each as: untimed setup,
timed tool command(s), untimed verification and cleanup. A run counts only if the tool exits
0 AND the result checks out (object counts, byte counts, segment layout), so a tool that
"succeeds" by doing nothing cannot win a row.
"""

import os
import shutil
import sys
from dataclasses import dataclass

import measure
import tools


@dataclass
class Sizes:
    files: int          # workload 1: number of small files
    file_bytes: int     # workload 1: size of each
    big_mib: int        # workload 2: the large file
    segment_mib: int    # workload 2: segment / chunk size
    list_objects: int   # workload 3: objects in the listed container
    per_folder: int     # workload 3: objects per pseudo-folder
    delete_objects: int  # workload 4
    reps: dict          # workload number -> repetitions
    ab_put: int         # ceiling: total ab PUTs
    ab_get: int         # ceiling: total ab GETs
    timeout: int        # seconds before one tool command is killed
    sync_files: int = 10_000  # workload 5: files of the synced tree (4 KiB each)
    sync_changes: int = 100   # workload 5: files changed, and files deleted, before row s-change


# Repetitions follow the 15-minute budget, which the server's per-object cost sets: every
# object a run creates must be deleted again, about 150 objects/s each way on 2 idle cores.
# Workload 4 alone creates and deletes 30,000 objects (3 tools) in one repetition; workload 3
# is cheap (its container is kept), so it gets the most.
FULL = Sizes(files=2000, file_bytes=4096, big_mib=1024, segment_mib=64, list_objects=50_000,
             per_folder=500, delete_objects=10_000, reps={"1": 2, "2": 2, "3": 3, "4": 1, "5": 1},
             ab_put=1000, ab_get=2000, timeout=1800)
QUICK = Sizes(files=500, file_bytes=4096, big_mib=256, segment_mib=64, list_objects=10_000,
              per_folder=500, delete_objects=1000, reps={"1": 1, "2": 1, "3": 1, "4": 1, "5": 1},
              ab_put=300, ab_get=600, timeout=600, sync_files=1000, sync_changes=20)

BIG_NAME = "big.bin"
SMALL_DIR = "small"
SYNC_DIR = "tree"  # workload 5's source; each tool syncs its own copy of it
# Objects made by extract-archive for workloads 3 and 4 are small but not empty: rclone
# HEADs every zero-byte object it lists (it could be a DLO manifest), which would turn a
# listing into one request per object and measure a fixture artifact.
FIXTURE_BYTES = 16


@dataclass
class Row:
    """One line group of the table: `amount` units of work, so rate = amount / wall."""
    key: str
    title: str
    amount: float
    unit: str | None     # None: no meaningful rate
    ceiling: str | None  # which ceiling number the rate compares to
    peers_from: str | None = None  # a cfsh-only row: the peers' lines come from this row


def rows(s):
    n = f"{s.files:,}"
    return [
        Row("w1-up", f"1 upload {n} x {s.file_bytes // 1024} KiB", s.files, "obj/s", "put"),
        Row("w1-down", f"1 download {n} x {s.file_bytes // 1024} KiB", s.files, "obj/s", "get"),
        Row("w2-up", f"2 upload {_mib(s.big_mib)}, {s.segment_mib} MiB segs", s.big_mib, "MiB/s",
            "curl-put"),
        Row("w2-down", f"2 download {_mib(s.big_mib)}", s.big_mib, "MiB/s", "curl-get"),
        # The peers check no MD5 of a large object's body (python-swiftclient skips it for
        # manifests; rclone has no hash for them); cfsh does by default. This row shows cfsh
        # on the same terms, beside the peers' samples of the row above.
        Row("w2-down-nc", "2 download, cfsh --ignore-checksum", s.big_mib, "MiB/s", "curl-get",
            peers_from="w2-down"),
        # One short page: its time is latency and start-up, so a rate would mean nothing.
        Row("w3-level", f"3 list 1 level ({s.list_objects // s.per_folder} folders, 1 page)",
            0, None, None),
        Row("w3-all", f"3 list all {s.list_objects:,} (all pages)", s.list_objects, "names/s",
            None),
        Row("w4", f"4 delete container of {s.delete_objects:,}", s.delete_objects, "obj/s",
            "delete"),
        # Issue 15: sync. The rate is files of the tree per second (compared or sent).
        Row("s-first", f"5 sync up {s.sync_files:,} x 4 KiB, empty dst", s.sync_files, "obj/s",
            "put"),
        Row("s-again", "5 sync up again, nothing changed", s.sync_files, "obj/s", None),
        Row("s-change", f"5 sync --delete, {s.sync_changes} chg, {s.sync_changes} del",
            s.sync_files, "obj/s", None),
        Row("s-down", f"5 sync down {s.sync_files:,} into an empty folder", s.sync_files, "obj/s",
            "get"),
    ]


def _sizes(sizes):
    if not sizes:
        return "none"
    return f"{len(sizes)} of " + "/".join(sorted({f'{b / (1 << 20):g} MiB' for b in sizes}))


def _mib(m):
    return f"{m // 1024} GiB" if m % 1024 == 0 else f"{m} MiB"


class VerifyError(Exception):
    pass


class Context:
    """What every workload needs: the account, the fixtures, where to log, and the results."""

    def __init__(self, sw, workdir, logdir, sizes, run_id, results):
        self.sw, self.workdir, self.logdir = sw, workdir, logdir
        self.sizes, self.run_id, self.results = sizes, run_id, results
        self.failures = []
        self.deleted_objects, self.delete_seconds = 0, 0.0  # cleanup doubles as a probe

    def container(self, workload, tool, rep):
        return f"bench-tmp-{self.run_id}-{workload}-{tool.name}-{rep + 1}"

    def purge(self, container):
        count, seconds = self.sw.purge(container)
        if count >= 500:  # small purges are dominated by listing and latency
            self.deleted_objects += count
            self.delete_seconds += seconds

    def measure(self, row, tool, rep, command, verify=None):
        """Run one timed command, verify it, record the sample; returns whether it passed."""
        if tool.missing:
            self.results.add(row, tool.name, measure.Sample(error=f"MISSING: {tool.missing}"))
            return False
        log = os.path.join(self.logdir, f"{row}-{tool.name}-{rep + 1}")
        run = measure.run(command, self.workdir, tool.env, log, self.sizes.timeout)
        if run.sample.ok and verify:
            try:
                verify(run)
            except (VerifyError, OSError) as e:
                run.sample.error = f"wrong result: {e}"
        elif not run.sample.ok:
            # The tool's own last words say more than an exit status.
            last = run.stderr_tail(1).strip()
            if last:
                run.sample.error += f": {last[:100]}"
        self.results.add(row, tool.name, run.sample)
        status = "ok" if run.sample.ok else "FAILED"
        print(f"  {row:9} {tool.name:7} rep {rep + 1}: {run.sample.wall:7.2f} s wall "
              f"{run.sample.cpu:6.2f} s CPU {run.sample.rss_mb:6.0f} MB  {status}",
              file=sys.stderr, flush=True)
        if not run.sample.ok:
            self.fail(row, tool, run)
        return run.sample.ok

    def skip(self, row, tool, why):
        self.results.add(row, tool.name, measure.Sample(error=why))

    def fail(self, row, tool, run):
        self.failures.append(f"{row} / {tool.name}: {run.sample.error}")
        print(f"\n!!! bench: {row} with {tool.name} FAILED: {run.sample.error}\n"
              f"!!!   command: {measure.show(run.command)}\n"
              f"!!!   cwd:     {self.workdir}\n"
              f"!!!   logs:    {run.stdout_path} {run.stderr_path}\n"
              f"!!!   stderr (tail):\n" +
              "".join(f"!!!     {line}\n" for line in run.stderr_tail().splitlines()),
              file=sys.stderr, flush=True)


# -- fixtures -------------------------------------------------------------------------------

def make_fixtures(ctx):
    """The small-file folder and the large file, written once per bench run."""
    s = ctx.sizes
    small = os.path.join(ctx.workdir, SMALL_DIR)
    os.makedirs(small)
    for i in range(s.files):
        with open(os.path.join(small, f"f{i:05d}.bin"), "wb") as f:
            f.write(os.urandom(s.file_bytes))
    tree = os.path.join(ctx.workdir, SYNC_DIR)
    if s.sync_files:
        # Two levels of folders, 100 files each, with old and distinct mtimes (whole seconds
        # and a fraction), as a backup tree would have.
        for i in range(s.sync_files):
            path = os.path.join(tree, f"d{i // 1000:02d}", f"s{i // 100 % 10}", f"f{i:06d}.bin")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(os.urandom(s.file_bytes))
            stamp = 1_600_000_000 + i * 61 + 0.25
            os.utime(path, (stamp, stamp))
    # Random but cheap to make: one random MiB, with each MiB stamped with its index so no
    # two segments are alike.
    block = bytearray(os.urandom(1 << 20))
    with open(os.path.join(ctx.workdir, BIG_NAME), "wb") as f:
        for i in range(s.big_mib):
            block[:8] = i.to_bytes(8, "big")
            f.write(block)


def same_samples(a, b, size):
    """Compare the first, middle and last MiB of two files (a whole-file compare of 1 GiB
    per run would cost more than the check is worth; a wrong size or order shows here)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        for offset in (0, size // 2, max(0, size - (1 << 20))):
            fa.seek(offset)
            fb.seek(offset)
            if fa.read(1 << 20) != fb.read(1 << 20):
                return False
    return True


def tree_totals(path):
    files = total = 0
    for root, _, names in os.walk(path):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(root, name))
    return files, total


def output_lines(run):
    with open(run.stdout_path, errors="replace") as f:
        return [line.strip() for line in f if line.strip()]


# -- workload 1: many small files ------------------------------------------------------------

def small_files(ctx, tool, rep):
    s, sw = ctx.sizes, ctx.sw
    container = ctx.container("w1", tool, rep)
    sw.create_container(container)  # every tool starts from an empty, existing container

    def uploaded(_):
        count = sw.wait_count(container, s.files)
        if count != s.files:
            raise VerifyError(f"container holds {count} objects, expected {s.files}")
        used = sw.usage(container)[1]
        if used != s.files * s.file_bytes:
            raise VerifyError(f"container holds {used} bytes, expected {s.files * s.file_bytes}")

    try:
        if not ctx.measure("w1-up", tool, rep, tool.upload_dir(SMALL_DIR, container), uploaded):
            ctx.skip("w1-down", tool, "skipped: the upload failed")
            return
        dst = f"dl-w1-{tool.name}-{rep + 1}"
        os.mkdir(os.path.join(ctx.workdir, dst))

        def downloaded(_):
            files, total = tree_totals(os.path.join(ctx.workdir, dst))
            if (files, total) != (s.files, s.files * s.file_bytes):
                raise VerifyError(f"got {files} files, {total} bytes; expected {s.files}, "
                                  f"{s.files * s.file_bytes}")
            # Every file, byte for byte, matched to its source by base name (each tool lays
            # out the folder differently: dst/f…, dst/small/f…, dst/CONTAINER/small/f…).
            source = os.path.join(ctx.workdir, SMALL_DIR)
            for root, _, names in os.walk(os.path.join(ctx.workdir, dst)):
                for name in names:
                    with open(os.path.join(root, name), "rb") as a, \
                            open(os.path.join(source, name), "rb") as b:
                        if a.read() != b.read():
                            raise VerifyError(f"{os.path.join(root, name)} differs from its source")

        ctx.measure("w1-down", tool, rep, tool.download_dir(container, dst), downloaded)
        shutil.rmtree(os.path.join(ctx.workdir, dst), ignore_errors=True)
    finally:
        ctx.purge(container)


# -- workload 2: one large file --------------------------------------------------------------

def large_file(ctx, tool, rep):
    s, sw = ctx.sizes, ctx.sw
    container = ctx.container("w2", tool, rep)
    size = s.big_mib << 20
    sw.create_container(container)

    def uploaded(_):
        headers = sw.head_object(container, BIG_NAME)
        if headers is None:
            raise VerifyError(f"no object {container}/{BIG_NAME}")
        if int(headers.get("content-length", -1)) != size:
            raise VerifyError(f"object is {headers.get('content-length')} bytes, expected {size}")
        # swift and cfsh must write an SLO, rclone a DLO: a single plain PUT would be a
        # different (and on a real cluster, impossible above 5 GiB) workload.
        if tool.name == "rclone":
            if "x-object-manifest" not in headers:
                raise VerifyError("expected a DLO (X-Object-Manifest), got a plain object")
        elif headers.get("x-static-large-object", "").lower() != "true":
            raise VerifyError("expected an SLO (X-Static-Large-Object: True)")
        # And in segments of the size asked for, not the tool's default.
        seg = s.segment_mib << 20
        want = [seg] * (size // seg) + ([size % seg] if size % seg else [])
        got = sw.segments(container, BIG_NAME, headers)
        if got != want:
            raise VerifyError(f"segments are {_sizes(got)}, expected {_sizes(want)}")

    try:
        if not ctx.measure("w2-up", tool, rep, tool.upload_big(BIG_NAME, container, s.segment_mib),
                           uploaded):
            ctx.skip("w2-down", tool, "skipped: the upload failed")
            return
        dst = f"dl-w2-{tool.name}-{rep + 1}.bin"

        def downloaded(_):
            got = os.path.getsize(os.path.join(ctx.workdir, dst))
            if got != size:
                raise VerifyError(f"downloaded {got} bytes, expected {size}")
            if not same_samples(os.path.join(ctx.workdir, BIG_NAME),
                                os.path.join(ctx.workdir, dst), size):
                raise VerifyError("downloaded bytes differ from the source")

        ctx.measure("w2-down", tool, rep, tool.download_big(container, BIG_NAME, dst), downloaded)
        if os.path.exists(os.path.join(ctx.workdir, dst)):
            os.unlink(os.path.join(ctx.workdir, dst))
        if isinstance(tool, tools.Cfsh):
            ctx.measure("w2-down-nc", tool, rep,
                        tool.download_big(container, BIG_NAME, dst, ignore_checksum=True), downloaded)
            if os.path.exists(os.path.join(ctx.workdir, dst)):
                os.unlink(os.path.join(ctx.workdir, dst))
    finally:
        ctx.purge(container)


# -- workload 3: a big listing ---------------------------------------------------------------

def listing_names(s):
    return [f"d{i // s.per_folder:03d}/o{i:06d}" for i in range(s.list_objects)]


def ensure_listing_container(ctx):
    """The listed container is made once and kept between bench runs (named by its size):
    creating 50,000 objects costs the server minutes, listing them costs seconds."""
    s, sw = ctx.sizes, ctx.sw
    name = f"bench-list-{s.list_objects}"
    usage = sw.usage(name)
    wanted = (s.list_objects, s.list_objects * FIXTURE_BYTES)
    if usage == wanted:
        return name
    names = listing_names(s)
    missing = names
    if usage is not None:
        # An interrupted creation leaves a subset of the right names at the right size:
        # add the rest instead of starting again.
        have = set(sw.list_names(name))
        if have <= set(names) and usage[1] == len(have) * FIXTURE_BYTES:
            missing = [n for n in names if n not in have]
            print(f"bench: {name} holds {len(have):,} of its {s.list_objects:,} objects: "
                  f"adding the other {len(missing):,}", file=sys.stderr, flush=True)
        else:
            print(f"bench: {name} holds {usage[0]} objects, {usage[1]} bytes, not {wanted[0]}, "
                  f"{wanted[1]}: rebuilding it", file=sys.stderr)
            sw.purge(name)
            usage = None
    if usage is None:
        print(f"bench: creating {name} with {s.list_objects:,} objects (once; later runs "
              f"reuse it)", file=sys.stderr, flush=True)
    sw.create_container(name)
    sw.extract_tar(name, missing, FIXTURE_BYTES)
    if sw.wait_count(name, s.list_objects, 60) != s.list_objects:
        raise RuntimeError(f"{name} did not reach {s.list_objects} objects")
    return name


def listing(ctx, tool, rep, container):
    s = ctx.sizes
    folders = s.list_objects // s.per_folder

    def one_level(run):
        lines = output_lines(run)
        dirs = [line for line in lines if line.endswith("/")]
        if len(dirs) != folders or len(lines) != folders:
            raise VerifyError(f"printed {len(lines)} lines, {len(dirs)} folders; "
                              f"expected {folders} folders")

    def everything(run):
        # rclone's `lsf -R` also prints the folders; count object names only.
        objects = [line for line in output_lines(run) if not line.endswith("/")]
        if len(objects) != s.list_objects:
            raise VerifyError(f"printed {len(objects)} object names, expected {s.list_objects}")

    ctx.measure("w3-level", tool, rep, tool.list_level(container), one_level)
    ctx.measure("w3-all", tool, rep, tool.list_all(container), everything)


# -- workload 4: delete a full container ------------------------------------------------------

def delete_container(ctx, tool, rep):
    s, sw = ctx.sizes, ctx.sw
    container = ctx.container("w4", tool, rep)
    sw.create_container(container)
    sw.extract_tar(container, [f"o{i:06d}" for i in range(s.delete_objects)], FIXTURE_BYTES)
    if sw.wait_count(container, s.delete_objects, 60) != s.delete_objects:
        raise RuntimeError(f"{container} did not reach {s.delete_objects} objects")

    def gone(_):
        count = sw.wait_count(container, None)
        if count is not None:
            raise VerifyError(f"the container still exists with {count} objects")

    try:
        ctx.measure("w4", tool, rep, tool.delete_container(container), gone)
    finally:
        ctx.purge(container)


# -- workload 5: sync (issue 15) ----------------------------------------------------------------

def sync(ctx, tool, rep):
    """First sync into an empty container, the same again with nothing changed, a remote ->
    local sync into an empty folder, then a sync with --delete after changing and deleting
    files locally. Each tool syncs its own copy of the tree (mtimes kept), into its own
    container."""
    s, sw = ctx.sizes, ctx.sw
    container = ctx.container("w5", tool, rep)
    # Relative to the working folder, where every tool runs (swift upload names objects by
    # the path it is given).
    src_name, dst_name = f"tree-{tool.name}-{rep + 1}", f"dl-w5-{tool.name}-{rep + 1}"
    src, dst = os.path.join(ctx.workdir, src_name), os.path.join(ctx.workdir, dst_name)
    shutil.copytree(os.path.join(ctx.workdir, SYNC_DIR), src)  # copy2: mtimes kept
    os.mkdir(dst)
    sw.create_container(container)

    def holds(count, total):
        def check(_):
            got = sw.wait_count(container, count)
            if got != count:
                raise VerifyError(f"container holds {got} objects, expected {count}")
            used = sw.usage(container)[1]
            if used != total:
                raise VerifyError(f"container holds {used} bytes, expected {total}")
        return check

    full = s.sync_files * s.file_bytes
    try:
        if not ctx.measure("s-first", tool, rep, tool.sync_up(src_name, container),
                           holds(s.sync_files, full)):
            for row in ("s-again", "s-down", "s-change"):
                ctx.skip(row, tool, "skipped: the first sync failed")
            return
        ctx.measure("s-again", tool, rep, tool.sync_up(src_name, container),
                    holds(s.sync_files, full))

        def downloaded(_):
            files, total = tree_totals(dst)
            if (files, total) != (s.sync_files, full):
                raise VerifyError(f"got {files} files, {total} bytes; expected {s.sync_files}, {full}")

        ctx.measure("s-down", tool, rep, tool.sync_down(container, dst_name), downloaded)
        command = tool.sync_up(src_name, container, delete=True)
        if command is None:
            ctx.skip("s-change", tool, f"n/a: {tool.name} has no sync with deletions")
            return
        names = sorted(os.path.relpath(os.path.join(root, n), src)
                       for root, _, files in os.walk(src) for n in files)
        step = max(1, len(names) // (2 * s.sync_changes))
        picked = names[::step][:2 * s.sync_changes]
        for rel in picked[:s.sync_changes]:  # changed: new bytes, same size, newer mtime
            with open(os.path.join(src, rel), "wb") as f:
                f.write(os.urandom(s.file_bytes))
        for rel in picked[s.sync_changes:]:
            os.unlink(os.path.join(src, rel))
        left = s.sync_files - s.sync_changes
        ctx.measure("s-change", tool, rep, command, holds(left, left * s.file_bytes))
    finally:
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(dst, ignore_errors=True)
        ctx.purge(container)


WORKLOADS = {"1": small_files, "2": large_file, "3": listing, "4": delete_container, "5": sync}
# The table rows each workload fills, so a tool that cannot run fills them with its reason.
WORKLOAD_ROWS = {"1": ["w1-up", "w1-down"], "2": ["w2-up", "w2-down", "w2-down-nc"],
                 "3": ["w3-level", "w3-all"], "4": ["w4"],
                 "5": ["s-first", "s-again", "s-down", "s-change"]}
