"""A minimal OpenStack Swift client for the benchmark's untimed chores.

It populates containers (bulk `?extract-archive`), empties and deletes them (bulk
`?bulk-delete`), and checks what the tools left behind. It is deliberately not any of the
tools under test, so setup and cleanup cost the same whichever tool is measured.
"""

import http.client
import io
import json
import tarfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

# The proxy's default `max_deletes_per_request`.
BULK_DELETE_BATCH = 10_000
# Parallel bulk requests. Measured on this 2-core server (cfsh `rmdir --force` of 10,000,
# which splits its bulk delete the same way): 1 request 119 s, 2 at once 108 s, 4 at once
# 99 s, 10 at once 88 s, 20 at once 86 s.
BULK_PARALLEL = 10
# Objects per extract-archive request.
EXTRACT_BATCH = 1000


class SwiftError(RuntimeError):
    pass


class Swift:
    """One authenticated account. Each thread gets its own connection (http.client is not
    thread-safe), opened per call so an idle keep-alive that the server closed never bites."""

    def __init__(self, auth_url, user, key):
        self.auth_url, self.user, self.key = auth_url, user, key
        self.token = None
        self.storage_url = None
        self.authenticate()

    def authenticate(self):
        u = urllib.parse.urlsplit(self.auth_url)
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
        conn.request("GET", u.path, headers={"X-Auth-User": self.user, "X-Auth-Key": self.key})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        if resp.status // 100 != 2:
            raise SwiftError(f"auth at {self.auth_url} answered {resp.status}")
        self.token = resp.getheader("X-Auth-Token")
        self.storage_url = resp.getheader("X-Storage-Url")
        s = urllib.parse.urlsplit(self.storage_url)
        self.host, self.port, self.account_path = s.hostname, s.port or 80, s.path

    def url(self, container, obj=None):
        """The full URL of a container or object (for ab and curl)."""
        path = self.path(container, obj)
        return f"http://{self.host}:{self.port}{path}"

    def path(self, container=None, obj=None, query=None):
        p = self.account_path
        if container is not None:
            p += "/" + urllib.parse.quote(container)
        if obj is not None:
            p += "/" + urllib.parse.quote(obj)
        if query:
            p += "?" + query
        return p

    def request(self, method, path, body=None, headers=None, timeout=900):
        """Send one request; returns (status, headers dict with lower-case names, body bytes)."""
        h = {"X-Auth-Token": self.token}
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    # -- containers -------------------------------------------------------------------------

    def create_container(self, name):
        status, _, _ = self.request("PUT", self.path(name))
        if status not in (201, 202):
            raise SwiftError(f"PUT container {name}: {status}")

    def usage(self, name):
        """The container's (object count, bytes used), or None when it does not exist."""
        status, headers, _ = self.request("HEAD", self.path(name))
        if status == 404:
            return None
        if status // 100 != 2:
            raise SwiftError(f"HEAD container {name}: {status}")
        return int(headers["x-container-object-count"]), int(headers["x-container-bytes-used"])

    def object_count(self, name):
        """The container's object count, or None when it does not exist."""
        usage = self.usage(name)
        return usage and usage[0]

    def wait_count(self, name, expected, seconds=20):
        """Poll until the container holds `expected` objects (None: until it is gone).
        Listings can lag a write by a second or two when a container update went to the
        object-updater's queue, so a single look would give false failures."""
        deadline = time.monotonic() + seconds
        while True:
            count = self.object_count(name)
            if count == expected or time.monotonic() > deadline:
                return count
            time.sleep(0.25)

    def head_object(self, container, obj):
        status, headers, _ = self.request("HEAD", self.path(container, obj))
        if status == 404:
            return None
        if status // 100 != 2:
            raise SwiftError(f"HEAD {container}/{obj}: {status}")
        return headers

    def segments(self, container, obj, headers):
        """The sizes of a large object's segments, in order: an SLO's manifest entries, or
        the objects under a DLO's X-Object-Manifest prefix. None for a plain object."""
        if headers.get("x-static-large-object", "").lower() == "true":
            status, _, body = self.request(
                "GET", self.path(container, obj, query="multipart-manifest=get&format=raw"))
            if status // 100 != 2:
                raise SwiftError(f"GET manifest {container}/{obj}: {status}")
            return [entry["size_bytes"] for entry in json.loads(body)]
        manifest = headers.get("x-object-manifest")
        if manifest:
            seg_container, _, prefix = urllib.parse.unquote(manifest).partition("/")
            sizes = []
            for name in self.list_names(seg_container, prefix):
                seg = self.head_object(seg_container, name)
                sizes.append(int(seg["content-length"]) if seg else -1)
            return sizes
        return None

    def list_names(self, container, prefix=None):
        """Every object name in the container, following `marker` page by page."""
        names, marker = [], ""
        while True:
            q = "format=json&limit=10000&marker=" + urllib.parse.quote(marker)
            if prefix:
                q += "&prefix=" + urllib.parse.quote(prefix)
            status, _, body = self.request("GET", self.path(container, query=q))
            if status == 404:
                return names
            if status // 100 != 2:
                raise SwiftError(f"GET container {container}: {status}")
            page = [o["name"] for o in json.loads(body)]
            if not page:
                return names
            names.extend(page)
            marker = page[-1]

    def list_containers(self, prefix):
        q = "format=json&limit=10000&prefix=" + urllib.parse.quote(prefix)
        status, _, body = self.request("GET", self.path(query=q))
        if status // 100 != 2:
            raise SwiftError(f"GET account: {status}")
        return [c["name"] for c in json.loads(body)]

    # -- bulk operations ------------------------------------------------------------------

    def extract_tar(self, container, names, size, parallel=BULK_PARALLEL):
        """Create `names` (objects of `size` bytes) in an existing container with parallel
        `?extract-archive=tar` requests: one request replaces thousands of client PUTs."""
        # Requests of at most EXTRACT_BATCH objects: one huge archive per thread stops being
        # read while the server creates its objects, and on a busy server the send times out.
        chunks = [names[i:i + EXTRACT_BATCH] for i in range(0, len(names), EXTRACT_BATCH)]
        payload = b"b" * size

        def one(chunk):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
                for name in chunk:
                    info = tarfile.TarInfo(name)
                    info.size = size
                    tar.addfile(info, io.BytesIO(payload))
            status, _, body = self.request(
                "PUT", self.path(container, query="extract-archive=tar"),
                body=buf.getvalue(), headers={"Accept": "application/json"})
            result = _bulk_result(status, body, "extract-archive")
            created = result.get("Number Files Created", 0)
            if created != len(chunk) or result.get("Errors"):
                raise SwiftError(f"extract-archive into {container}: created {created} of "
                                 f"{len(chunk)}, errors {result.get('Errors')[:3]}")

        with ThreadPoolExecutor(min(parallel, max(1, len(chunks)))) as pool:
            list(pool.map(one, chunks))

    def bulk_delete(self, container, names, parallel=BULK_PARALLEL, strict=True):
        """Delete `names` from the container with parallel `?bulk-delete` requests.
        Returns the seconds the deletes took (the cleanup doubles as a ceiling probe).
        With strict=False, objects the server failed to delete (a 503 on a busy server) are
        left for the caller to list and delete again."""
        paths = ["/" + urllib.parse.quote(f"{container}/{n}") for n in names]
        batches = []
        for i in range(0, len(paths), BULK_DELETE_BATCH):
            batch = paths[i:i + BULK_DELETE_BATCH]
            # Split each batch so `parallel` requests run at once.
            batches.extend(batch[j::parallel] for j in range(parallel) if batch[j::parallel])

        def one(batch):
            status, _, body = self.request(
                "POST", self.path(query="bulk-delete"), body="\n".join(batch).encode(),
                headers={"Accept": "application/json", "Content-Type": "text/plain"})
            try:
                result = _bulk_result(status, body, "bulk-delete")
            except SwiftError:
                if strict:
                    raise
                return
            if result.get("Errors") and strict:
                raise SwiftError(f"bulk-delete in {container}: {result['Errors'][:3]}")

        start = time.monotonic()
        with ThreadPoolExecutor(min(parallel, max(1, len(batches)))) as pool:
            list(pool.map(one, batches))
        return time.monotonic() - start

    def purge(self, container):
        """Delete a container with everything in it (and its `_segments` sibling).
        Returns (objects deleted, seconds the bulk deletes took)."""
        total, seconds = 0, 0.0
        for name in (container, container + "_segments"):
            for _ in range(5):
                names = self.list_names(name)
                if names:
                    seconds += self.bulk_delete(name, names, strict=False)
                    total += len(names)
                status, _, _ = self.request("DELETE", self.path(name))
                if status in (204, 404):
                    break
                # 409: a listing still shows an object whose delete has not reached the
                # container database yet; look again.
                time.sleep(1)
            else:
                raise SwiftError(f"could not delete container {name} (last status {status})")
        return total, seconds


def _bulk_result(status, body, what):
    # The bulk middleware pads its answer with whitespace to keep the connection alive while
    # it works, then writes the JSON summary.
    if status // 100 != 2:
        raise SwiftError(f"{what}: HTTP {status}: {body[:200]!r}")
    try:
        result = json.loads(body.strip() or b"{}")
    except ValueError as e:
        raise SwiftError(f"{what}: unreadable answer {body[-200:]!r}") from e
    if not str(result.get("Response Status", "")).startswith(("200", "201")):
        raise SwiftError(f"{what}: {result.get('Response Status')} {result.get('Errors', [])[:3]}")
    return result
