"""A stand-in for Rackspace identity v2.0 (`POST /v2.0/tokens`), for cfsh's tests only.

Rackspace's identity service cannot run locally and Keystone dropped v2.0, so this answers in
Rackspace's exact shape while the token inside is a REAL one from the local Swift's tempauth:
the storage calls behind it are real.

    python rackspace-identity.py PORT

Users (username / API key / password -> tempauth user):
    cfshrack  / 0123456789abcdef0123456789abcdef / rack-password  -> test:tester (AUTH_test)
Catalog (cloudFiles, type object-store):
    DFW (RAX-AUTH:defaultRegion)  publicURL http://127.0.0.1:8080/v1/AUTH_test
                                   internalURL http://127.0.0.1:8081/v1/AUTH_test  (the "ServiceNet")
    ORD                           publicURL http://localhost:8080/v1/AUTH_test
                                   internalURL http://localhost:8081/v1/AUTH_test
    IAD                           publicURL only (some Rackspace endpoints lack an internalURL)
Both proxies share tempauth's memcached, so one token works on each.
"""

import datetime
import http.server
import json
import sys
import urllib.error
import urllib.request

TEMPAUTH_URL = "http://127.0.0.1:8080/auth/v1.0"
USERS = {
    "cfshrack": {
        "api_key": "0123456789abcdef0123456789abcdef",
        "password": "rack-password",
        "tempauth": ("test:tester", "testing"),
        "id": "10040551",
        "tenant": "5821004",
    },
}


def tempauth_login(user, key):
    req = urllib.request.Request(TEMPAUTH_URL, headers={"X-Auth-User": user, "X-Auth-Key": key})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.headers["X-Auth-Token"], resp.headers["X-Storage-Url"]


def iso_z(moment):
    # Rackspace writes milliseconds and a literal Z: 2025-11-26T15:22:33.123Z
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def access(name, user, token, storage_url, method):
    account = storage_url.rstrip("/").rsplit("/", 1)[-1]
    tenant = "MossoCloudFS_" + account.removeprefix("AUTH_")

    def on(host, port):
        return f"http://{host}:{port}/v1/{account}"

    now = datetime.datetime.now(datetime.timezone.utc)
    return {"access": {
        "token": {
            "id": token,
            "expires": iso_z(now + datetime.timedelta(hours=24)),
            "tenant": {"id": user["tenant"], "name": user["tenant"]},
            "RAX-AUTH:authenticatedBy": [method],
        },
        "serviceCatalog": [
            {"name": "cloudFilesCDN", "type": "rax:object-cdn", "endpoints": [
                {"region": "DFW", "tenantId": tenant, "publicURL": f"https://cdn.example.invalid/v1/{tenant}"}]},
            {"name": "cloudFiles", "type": "object-store", "endpoints": [
                {"region": "DFW", "tenantId": tenant,
                 "publicURL": on("127.0.0.1", 8080), "internalURL": on("127.0.0.1", 8081)},
                {"region": "ORD", "tenantId": tenant,
                 "publicURL": on("localhost", 8080), "internalURL": on("localhost", 8081)},
                {"region": "IAD", "tenantId": tenant, "publicURL": on("127.0.0.1", 8080)},
            ]},
            {"name": "cloudServersOpenStack", "type": "compute", "endpoints": [
                {"region": "DFW", "tenantId": user["tenant"],
                 "publicURL": f"https://dfw.servers.example.invalid/v2/{user['tenant']}",
                 "versionInfo": "https://dfw.servers.example.invalid/v2", "versionList":
                     "https://dfw.servers.example.invalid/", "versionId": "2"}]},
        ],
        "user": {
            "id": user["id"], "name": name,
            "roles": [{"id": "3", "name": "identity:user-admin",
                       "description": "User Admin Role."}],
            "RAX-AUTH:defaultRegion": "DFW",
        },
    }}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rackspace-identity-standin"

    def log_message(self, fmt, *args):
        # Never log bodies: they hold keys. The request line has none.
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/") in ("", "/v2.0"):
            self.reply(200, {"version": {"id": "v2.0", "status": "CURRENT"}})
        else:
            self.reply(404, {"itemNotFound": {"code": 404, "message": "Resource not found"}})

    def do_POST(self):
        if self.path.rstrip("/") != "/v2.0/tokens":
            self.reply(404, {"itemNotFound": {"code": 404, "message": "Resource not found"}})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            auth = json.loads(self.rfile.read(length))["auth"]
        except (ValueError, KeyError, TypeError):
            self.reply(400, {"badRequest": {"code": 400, "message": "Invalid json request body"}})
            return
        if "RAX-KSKEY:apiKeyCredentials" in auth:
            creds = auth["RAX-KSKEY:apiKeyCredentials"]
            name, secret, field, method = creds.get("username"), creds.get("apiKey"), "api_key", "APIKEY"
            refusal = "Username or api key is invalid."
        elif "passwordCredentials" in auth:
            creds = auth["passwordCredentials"]
            name, secret, field, method = creds.get("username"), creds.get("password"), "password", "PASSWORD"
            refusal = "Unable to authenticate user with credentials provided."
        else:
            self.reply(400, {"badRequest": {"code": 400, "message": "Invalid json request body"}})
            return
        user = USERS.get(name or "")
        if user is None or secret != user[field]:
            self.reply(401, {"unauthorized": {"code": 401, "message": refusal}})
            return
        try:
            token, storage_url = tempauth_login(*user["tempauth"])
        except (urllib.error.URLError, OSError) as err:
            self.reply(503, {"serviceUnavailable": {"code": 503, "message": f"tempauth: {err}"}})
            return
        self.reply(200, access(name, user, token, storage_url, method))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5002
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
