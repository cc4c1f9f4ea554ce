"""The command lines each tool runs for each workload step.

Every tool runs from the same working folder, with the same relative paths, against the same
account. Every tool runs with its own defaults, because those are what its users get:
python-swiftclient 10 object threads and 10 segment threads; rclone 4 transfers and 8
checkers; cfsh its default `set parallel` (no --parallel option, no `set parallel`). The
one setting given to all three alike is the segment size of workload 2, so that the
segments compared are the same size.
"""

import os

AUTH_URL = "http://127.0.0.1:8080/auth/v1.0"
USER = "test:tester"
KEY = "testing"
RCLONE_REMOTE = "bench"


def clean_env():
    """The driver's environment without anything that could point a tool at another
    cluster or change its defaults (OS_*, ST_*, RCLONE_*, CFSH_*)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("OS_", "ST_", "RCLONE_", "CFSH_", "SWIFTCLIENT_"))}


class Tool:
    """A client under test. `missing` is set when it cannot run at all (cfsh before it
    builds); its rows then report that reason instead of numbers."""
    name = "?"
    missing = None

    def __init__(self):
        self.env = clean_env()


class Cfsh(Tool):
    """cfsh, driven through `cfsh -c`, connecting from ST_AUTH/ST_USER/ST_KEY as a cron
    job would. Each step is one line of the language, so a failing command fails the run
    with cfsh's own exit status. It runs at its defaults (issue 15): no `set parallel`."""
    name = "cfsh"

    def __init__(self, binary, missing=None):
        super().__init__()
        self.binary = binary
        self.env.update(ST_AUTH=AUTH_URL, ST_USER=USER, ST_KEY=KEY)
        if missing:
            self.missing = missing
        elif not os.access(binary, os.X_OK):
            self.missing = f"no cfsh binary at {binary}"

    def line(self, statement):
        return [self.binary, "-c", f"connect; {statement}"]

    def upload_dir(self, src, container):
        return self.line(f"put -r {src} {container}/")

    def download_dir(self, container, dst):
        return self.line(f"get -r {container} {dst}")

    def upload_big(self, path, container, segment_mib):
        # The setting does for this line what `put --segment-size` would.
        return self.line(f"set segment-size {segment_mib}M; put {path} {container}/")

    def download_big(self, container, obj, dst, ignore_checksum=False):
        option = "--ignore-checksum " if ignore_checksum else ""
        return self.line(f"get {option}{container}/{obj} {dst}")

    def list_level(self, container):
        return self.line(f"ls {container}")

    def list_all(self, container):
        return self.line(f"ls -r {container}")

    def delete_container(self, container):
        return self.line(f"rmdir --force {container}")

    def sync_up(self, src, container, delete=False):
        return self.line(f"sync {'--delete ' if delete else ''}file:{src} /{container}/")

    def sync_down(self, container, dst):
        return self.line(f"sync /{container}/ file:{dst}")


class SwiftCLI(Tool):
    """python-swiftclient's `swift` CLI from the server's venv, called by full path (its
    name would shadow the Swift toolchain on PATH). The credentials go in ST_* variables,
    which it reads exactly like -A/-U/-K, so the key stays out of `ps`."""
    name = "swift"

    def __init__(self, binary):
        super().__init__()
        self.binary = binary
        self.env.update(ST_AUTH=AUTH_URL, ST_USER=USER, ST_KEY=KEY)
        if not os.access(binary, os.X_OK):
            self.missing = f"no swift CLI at {binary} (scripts/swift-server install)"

    def upload_dir(self, src, container):
        return [self.binary, "upload", container, src]

    def download_dir(self, container, dst):
        return [self.binary, "download", container, "-D", dst]

    def upload_big(self, path, container, segment_mib):
        # An SLO: python-swiftclient 4 makes one by default when the cluster has `slo`.
        return [self.binary, "upload", "--segment-size", str(segment_mib << 20), container, path]

    def download_big(self, container, obj, dst):
        return [self.binary, "download", container, obj, "-o", dst]

    def list_level(self, container):
        return [self.binary, "list", "--delimiter", "/", container]

    def list_all(self, container):
        return [self.binary, "list", container]

    def delete_container(self, container):
        # Uses the cluster's bulk delete.
        return [self.binary, "delete", container]

    def sync_up(self, src, container, delete=False):
        # `upload --changed` skips a file whose size and mtime match the object's; it never
        # deletes, so it has no row with --delete.
        return None if delete else [self.binary, "upload", "--changed", container, src]

    def sync_down(self, container, dst):
        return [self.binary, "download", container, "-D", dst]


class Rclone(Tool):
    """rclone (apt), with a `swift` remote using auth v1 against the same server, from a
    config file written into the run's temporary folder."""
    name = "rclone"

    def __init__(self, binary, config_dir):
        super().__init__()
        self.binary = binary
        config = os.path.join(config_dir, "rclone.conf")
        with open(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(f"[{RCLONE_REMOTE}]\ntype = swift\nauth = {AUTH_URL}\nuser = {USER}\n"
                    f"key = {KEY}\nauth_version = 1\n")
        self.env["RCLONE_CONFIG"] = config
        if not binary or not os.access(binary, os.X_OK):
            self.missing = "rclone is not installed (scripts/setup-deps)"

    def remote(self, path):
        return f"{RCLONE_REMOTE}:{path}"

    def upload_dir(self, src, container):
        return [self.binary, "copy", src, self.remote(container)]

    def download_dir(self, container, dst):
        return [self.binary, "copy", self.remote(container), dst]

    def upload_big(self, path, container, segment_mib):
        # rclone writes a DLO; 64M is the chunk size matching the others' segments.
        return [self.binary, "copy", "--swift-chunk-size", f"{segment_mib}M", path,
                self.remote(container)]

    def download_big(self, container, obj, dst):
        return [self.binary, "copyto", self.remote(f"{container}/{obj}"), dst]

    def list_level(self, container):
        return [self.binary, "lsf", self.remote(container)]

    def list_all(self, container):
        # Without --fast-list, as users run it: one delimiter listing per pseudo-folder,
        # eight at a time (the checkers).
        return [self.binary, "lsf", "-R", self.remote(container)]

    def delete_container(self, container):
        return [self.binary, "purge", self.remote(container)]

    def sync_up(self, src, container, delete=False):
        # `rclone sync` always deletes the destination's extras.
        return [self.binary, "sync", src, self.remote(container)]

    def sync_down(self, container, dst):
        return [self.binary, "sync", self.remote(container), dst]
