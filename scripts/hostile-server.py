"""A hostile fake Swift for tests: it answers auth v1.0 (and Keystone v3 token requests)
like a real server, then sends the replies a broken or malicious server could send.

    python3 hostile-server.py --mode MODE [--port 0] [--tls] [--idle 30] [--lifetime 300]
                              [--stats FILE]

It listens on 127.0.0.1 only, prints `PORT <n>` on its first line of output once it
listens (use --port 0 for a free port), and exits by itself after --idle seconds without
a request or --lifetime seconds in all, so a test that dies cannot leave it behind.
With --stats it rewrites FILE as JSON after every request and every connection:
{"requests": n, "bytes_sent": n, "connections": n, "tls_failures": n, "paths": [...]}.

Every mode serves one account, AUTH_test, holding container `c` with object `f.txt`
(and folder `d/` with `d/g.txt`), except where the mode says otherwise:

  endless-503        every storage request: 503 with an endless chunked body
  retry-after        every storage request: 503, Retry-After 1e300, a short body
  repeat-marker      listings ignore `marker`: every page is the same, so the marker
                     never advances
  unsorted-listing   a listing page whose names go backwards
  mtime:VALUE        objects carry X-Object-Meta-Mtime: VALUE (nan, 1e300, -1e300, inf…)
  delete-at:VALUE    objects carry X-Delete-At: VALUE
  last-modified-year:Y
                     objects carry a Last-Modified in year Y (9223372036854775807)
  slo-overflow       f.txt is a static large object whose manifest's segment sizes add
                     up past Int64
  count-overflow     account and container headers and listing sizes past Int64
  token-expires:V    auth answers X-Auth-Token-Expires: V (1e300, nan, -1e300)
  keystone-expires:T POST /v3/auth/tokens answers expires_at T
                     (2030-01-01T00:00:00.000000+99999999999999999:00)
  bad-etag           a PUT answers 201 with an ETag that is not the MD5 of what was sent
  normal             nothing hostile (for --tls: a self-signed certificate)
"""

import argparse
import hashlib
import http.server
import json
import os
import shutil
import signal
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATS = {"requests": 0, "bytes_sent": 0, "connections": 0, "tls_failures": 0, "paths": []}
LAST_ACTIVITY = [time.monotonic()]
ARGS = None
BODY = b"hello, hostile world\n"
ETAG = hashlib.md5(BODY).hexdigest()


def note(**changes):
    with LOCK:
        LAST_ACTIVITY[0] = time.monotonic()
        for key, value in changes.items():
            if key == "path":
                if len(STATS["paths"]) < 200:
                    STATS["paths"].append(value)
            else:
                STATS[key] += value
        if ARGS.stats:
            temporary = ARGS.stats + ".tmp"
            with open(temporary, "w") as out:
                json.dump(STATS, out)
            os.replace(temporary, ARGS.stats)


def mode_value(name):
    prefix = name + ":"
    return ARGS.mode[len(prefix):] if ARGS.mode.startswith(prefix) else None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile-swift/1.0"

    def log_message(self, *args):
        pass

    # -- plumbing ---------------------------------------------------------------------

    def reply(self, status, headers=None, body=b"", head=False):
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Length", str(len(body)))
        headers.setdefault("X-Trans-Id", "tx-hostile")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if body and not head:
            self.wfile.write(body)
            note(bytes_sent=len(body))

    def endless(self, status, headers):
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Trans-Id", "tx-endless")
        self.end_headers()
        chunk = b"x" * 65536
        framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        deadline = time.monotonic() + ARGS.lifetime
        sent = 0
        try:
            while time.monotonic() < deadline:
                self.wfile.write(framed)
                sent += len(chunk)
                if sent >= 1 << 24:
                    note(bytes_sent=sent)
                    sent = 0
        except OSError:
            pass
        note(bytes_sent=sent)
        self.close_connection = True

    def base_url(self):
        scheme = "https" if ARGS.tls else "http"
        return "%s://127.0.0.1:%d" % (scheme, self.server.server_address[1])

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- requests ---------------------------------------------------------------------

    def handle_any(self):
        note(requests=1, path=self.command + " " + self.path)
        self.read_body()
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if path.startswith("/auth/v1.0") or path.startswith("/auth/v1"):
            return self.auth_v1()
        if path.rstrip("/").endswith("/v3/auth/tokens"):
            return self.keystone()
        if path == "/info":
            return self.reply(200, {"Content-Type": "application/json"},
                              json.dumps({"swift": {"version": "hostile"}}).encode())
        if not path.startswith("/v1/AUTH_test"):
            return self.reply(404, body=b"not here")
        if ARGS.mode == "endless-503":
            if self.command == "HEAD":
                return self.reply(503, head=True)
            return self.endless(503, {"Content-Type": "text/plain"})
        if ARGS.mode == "retry-after":
            return self.reply(503, {"Retry-After": "1e300"}, b"slow down")
        parts = path[len("/v1/AUTH_test"):].lstrip("/").split("/", 1)
        container = parts[0] if parts and parts[0] else None
        name = parts[1] if len(parts) > 1 else None
        head = self.command == "HEAD"
        if container is None:
            return self.account(query, head)
        if container != "c":
            return self.reply(404, body=b"Not Found")
        if not name:
            return self.container(query, head)
        return self.object(name, query, head)

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = do_COPY = handle_any

    def auth_v1(self):
        headers = {"X-Storage-Url": self.base_url() + "/v1/AUTH_test",
                   "X-Auth-Token": "AUTH_tk_hostile", "X-Storage-Token": "AUTH_tk_hostile"}
        headers["X-Auth-Token-Expires"] = mode_value("token-expires") or "3600"
        self.reply(200, headers)

    def keystone(self):
        expires = mode_value("keystone-expires") or "2030-01-01T00:00:00.000000Z"
        token = {"token": {
            "expires_at": expires, "issued_at": "2025-01-01T00:00:00.000000Z",
            "methods": ["password"], "user": {"id": "u", "name": "tester"},
            "project": {"id": "test", "name": "test"},
            "catalog": [{"type": "object-store", "name": "swift", "endpoints": [
                {"interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                 "url": self.base_url() + "/v1/AUTH_test"}]}]}}
        self.reply(201, {"X-Subject-Token": "ks_hostile", "Content-Type": "application/json"},
                   json.dumps(token).encode())

    def overflow_headers(self):
        if ARGS.mode == "count-overflow":
            return {"X-Account-Object-Count": "99999999999999999999999",
                    "X-Account-Bytes-Used": "-9223372036854775808",
                    "X-Account-Container-Count": "1e300",
                    "X-Container-Object-Count": "99999999999999999999999",
                    "X-Container-Bytes-Used": "9223372036854775808"}
        return {}

    def account(self, query, head):
        headers = {"X-Account-Object-Count": "2", "X-Account-Bytes-Used": str(len(BODY) * 2),
                   "X-Account-Container-Count": "1", "Content-Type": "application/json"}
        headers.update(self.overflow_headers())
        size = 9223372036854775807 if ARGS.mode == "count-overflow" else len(BODY) * 2
        entries = [{"name": "c", "count": 2, "bytes": size, "last_modified": "2025-01-01T00:00:00.000000"}]
        if ARGS.mode in ("count-overflow", "unsorted-listing"):
            entries.append({"name": "c2", "count": 2, "bytes": size, "last_modified": "2025-01-01T00:00:00.000000"})
        self.listing(headers, entries, query, head)

    def container(self, query, head):
        headers = {"X-Container-Object-Count": "2", "X-Container-Bytes-Used": str(len(BODY) * 2),
                   "Content-Type": "application/json"}
        headers.update(self.overflow_headers())
        size = 9223372036854775807 if ARGS.mode == "count-overflow" else len(BODY)
        entries = [
            {"name": "d/g.txt", "bytes": size, "hash": ETAG, "content_type": "text/plain",
             "last_modified": "2025-01-01T00:00:00.000000"},
            {"name": "f.txt", "bytes": size, "hash": ETAG, "content_type": "text/plain",
             "last_modified": "2025-01-01T00:00:00.000000"},
        ]
        delimiter = (query.get("delimiter") or [None])[0]
        prefix = (query.get("prefix") or [""])[0]
        entries = [e for e in entries if e["name"].startswith(prefix)]
        if delimiter:
            rolled = []
            for entry in entries:
                rest = entry["name"][len(prefix):]
                if delimiter in rest:
                    sub = prefix + rest.split(delimiter, 1)[0] + delimiter
                    if {"subdir": sub} not in rolled:
                        rolled.append({"subdir": sub})
                else:
                    rolled.append(entry)
            entries = rolled
        self.listing(headers, entries, query, head)

    def listing(self, headers, entries, query, head):
        if head:
            return self.reply(204, headers, head=True)
        marker = (query.get("marker") or [""])[0]
        key = lambda e: e.get("name", e.get("subdir"))
        if ARGS.mode == "unsorted-listing":
            page = list(reversed(entries)) if not marker else []
        elif ARGS.mode == "repeat-marker":
            page = entries  # whatever the marker says
        else:
            page = [e for e in entries if key(e).encode() > marker.encode()]
        if not page:
            return self.reply(204, headers)
        self.reply(200, headers, json.dumps(page).encode())

    def object(self, name, query, head):
        if name not in ("f.txt", "d/g.txt") and self.command != "PUT":
            return self.reply(404, body=b"Not Found")
        headers = {"Content-Type": "text/plain", "ETag": ETAG,
                   "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT",
                   "X-Timestamp": "1735689600.00000"}
        if self.command in ("DELETE", "PUT", "POST"):
            stored = "0" * 32 if ARGS.mode == "bad-etag" else ETAG
            return self.reply(204 if self.command == "DELETE" else 201, {"ETag": stored})
        value = mode_value("mtime")
        if value is not None:
            headers["X-Object-Meta-Mtime"] = value
        value = mode_value("delete-at")
        if value is not None:
            headers["X-Delete-At"] = value
        value = mode_value("last-modified-year")
        if value is not None:
            headers["Last-Modified"] = "Wed, 01 Jan %s 00:00:00 GMT" % value
        headers.update(self.overflow_headers())
        if ARGS.mode == "slo-overflow" and name == "f.txt":
            headers["X-Static-Large-Object"] = "True"
            headers["ETag"] = '"%s"' % ETAG
            if (query.get("multipart-manifest") or [None])[0] == "get":
                manifest = [{"name": "/segments/f.txt/%d" % i, "hash": ETAG,
                             "bytes": 9223372036854775807, "content_type": "text/plain"}
                            for i in range(3)]
                return self.reply(200, {"Content-Type": "application/json; charset=utf-8",
                                        "X-Static-Large-Object": "True"},
                                  json.dumps(manifest).encode(), head)
        self.reply(200, headers, BODY, head)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    context = None

    def finish_request(self, request, client_address):
        note(connections=1)
        if self.context is not None:
            try:
                request.settimeout(10)
                request = self.context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                note(tls_failures=1)
                return
        super().finish_request(request, client_address)


def self_signed(folder):
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def watchdog(started):
    while True:
        time.sleep(0.5)
        now = time.monotonic()
        with LOCK:
            idle = now - LAST_ACTIVITY[0]
        if idle > ARGS.idle or now - started > ARGS.lifetime:
            os._exit(0)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", default="normal")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("--stats")
    ARGS = parser.parse_args()
    # A parent may start us with signals blocked (Foundation's Process does, from a test
    # thread); a test must be able to stop us with SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server = Server(("127.0.0.1", ARGS.port), Handler)
    folder = None
    if ARGS.tls:
        folder = tempfile.mkdtemp(prefix="hostile-tls-")
        cert, key = self_signed(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.context = context
        # The key is in memory now; nothing of it need outlive the start.
        shutil.rmtree(folder, ignore_errors=True)
    note()
    threading.Thread(target=watchdog, args=(time.monotonic(),), daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
