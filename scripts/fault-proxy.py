"""A fault-injecting HTTP proxy in front of the real local Swift, for faults the server
cannot produce on demand: 5xx/429/498 answers, Retry-After, dropped connections, bodies
cut short and bodies damaged in transit. Everything else is forwarded to the real proxy
unchanged.

    python3 fault-proxy.py LISTEN_PORT UPSTREAM_PORT

Tests add rules with `POST /__faults__` and a JSON body:
    {"match": "substring of the path", "method": "PUT" (optional),
     "status": 503, "times": 2, "retry_after": "1" (optional),
     "drop": true (close without answering), "truncate_after": 1000 (forward the
     answer's headers and that many body bytes, then close), "corrupt_at": 5000000
     (forward the answer whole, but with the body byte at that offset inverted),
     "delay": 2.0 (wait that many seconds before reading the request's body, then go on
     as usual; a client that dies meanwhile leaves a cut body, which is not forwarded)}
A rule fires for the first `times` requests that match it, then the requests pass.
`GET /__faults__` returns {"hits": {match: count of matching requests seen},
"methods": {match: {"PUT": count, ...}}} so a test can count requests (a rule with
"times": 0 only counts); `DELETE /__faults__?match=S` removes rules and counts for S.
Each test uses its own unique `match`, so tests running in parallel do not interfere.
"""

import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
RULES = []  # dicts, in the order added
HITS = {}  # match -> number of requests whose path contained it
METHODS = {}  # match -> {method: number of those requests}
UPSTREAM = ("127.0.0.1", 8080)
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
       "proxy-connection"}


def take_rule(method, path):
    with LOCK:
        for m in {r["match"] for r in RULES} | set(HITS):
            if m in path:
                HITS[m] = HITS.get(m, 0) + 1
                by_method = METHODS.setdefault(m, {})
                by_method[method] = by_method.get(method, 0) + 1
        for rule in RULES:
            if "delay" in rule:
                continue
            if rule["match"] in path and rule.get("method", method) == method and rule["times"] > 0:
                rule["times"] -= 1
                return dict(rule)
    return None


def take_delay(method, path):
    """Seconds to hold this request before reading its body (0 when no rule says so)."""
    with LOCK:
        for rule in RULES:
            if ("delay" in rule and rule["match"] in path and rule.get("method", method) == method
                    and rule["times"] > 0):
                rule["times"] -= 1
                return float(rule["delay"])
    return 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fault-proxy: %s %s\n" % (self.command, self.path))

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunk = self.rfile.read(size)
                if len(chunk) < size:
                    raise ConnectionError("chunked body cut short by the client")
                chunks.append(chunk)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The client went away mid-body: forwarding the part would store a short object.
            raise ConnectionError("body cut short by the client")
        return body

    def control(self):
        parsed = urllib.parse.urlparse(self.path)
        if self.command == "POST":
            rule = json.loads(self.read_body() or b"{}")
            rule.setdefault("times", 1)
            with LOCK:
                RULES.append(rule)
                HITS.setdefault(rule["match"], 0)
            body = b"{}"
        elif self.command == "DELETE":
            match = urllib.parse.parse_qs(parsed.query).get("match", [None])[0]
            with LOCK:
                RULES[:] = [r for r in RULES if match is not None and r["match"] != match]
                if match is None:
                    HITS.clear()
                    METHODS.clear()
                else:
                    HITS.pop(match, None)
                    METHODS.pop(match, None)
            body = b"{}"
        else:
            with LOCK:
                body = json.dumps({"hits": HITS, "methods": METHODS}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        if self.path.startswith("/__faults__"):
            return self.control()
        delay = take_delay(self.command, self.path)
        if delay:
            time.sleep(delay)
        try:
            body = self.read_body()
        except (ConnectionError, ValueError):
            self.close_connection = True
            return
        rule = take_rule(self.command, self.path)
        if rule and rule.get("drop"):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if rule and rule.get("status"):
            msg = b"injected fault\n"
            self.send_response(int(rule["status"]))
            if rule.get("retry_after") is not None:
                self.send_header("Retry-After", str(rule["retry_after"]))
            self.send_header("X-Trans-Id", "tx-injected-fault")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(msg)
            return
        conn = http.client.HTTPConnection(*UPSTREAM, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        if body or self.command in ("PUT", "POST"):
            headers["Content-Length"] = str(len(body))
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        self.send_response_only(resp.status, resp.reason)
        length = resp.getheader("Content-Length")
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        cut = rule.get("truncate_after") if rule else None
        flip = rule.get("corrupt_at") if rule else None
        if length is None and self.command != "HEAD" and resp.status not in (204, 304):
            data = resp.read()
            if flip is not None and flip < len(data):
                data = data[:flip] + bytes([data[flip] ^ 0xFF]) + data[flip + 1:]
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:cut] if cut is not None else data)
        else:
            self.end_headers()
            sent = 0
            while self.command != "HEAD":
                chunk = resp.read(65536)
                if not chunk:
                    break
                if flip is not None and sent <= flip < sent + len(chunk):
                    at = flip - sent
                    chunk = chunk[:at] + bytes([chunk[at] ^ 0xFF]) + chunk[at + 1:]
                if cut is not None and sent + len(chunk) >= cut:
                    self.wfile.write(chunk[: cut - sent])
                    break
                self.wfile.write(chunk)
                sent += len(chunk)
        conn.close()
        if cut is not None:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_COPY = handle_any


def main():
    port, upstream = int(sys.argv[1]), int(sys.argv[2])
    global UPSTREAM
    UPSTREAM = ("127.0.0.1", upstream)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
