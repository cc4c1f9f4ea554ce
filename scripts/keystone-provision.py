"""Create, through Keystone's REST API, what cfsh's tests expect; or check that it is there.

Run by scripts/keystone-server with the venv's python (stdlib only). Every step looks before it
creates, so running it twice is harmless. The admin password comes on stdin, never in argv.

  keystone-provision.py --auth-url URL --fixtures FILE --public-port P --internal-port P < pw
  keystone-provision.py --check [--no-storage] --auth-url URL --fixtures FILE ...
"""

import argparse
import json
import sys
import urllib.error
import urllib.request

DEMO_PASSWORD = "demo-secret"
SWIFT_PASSWORD = "swift-secret"
APP_CRED_NAME = "cfsh-test"
APP_CRED_SECRET = "demo-appcred-secret"
REGIONS = {"RegionOne": "127.0.0.1", "RegionTwo": "localhost"}


class Keystone:
    def __init__(self, auth_url):
        self.base = auth_url.rstrip("/")
        self.token = None

    def call(self, method, path, body=None, token=None, ok=(200, 201, 204)):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token or self.token:
            req.add_header("X-Auth-Token", token or self.token)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, resp.headers, (json.loads(raw) if raw else {})
        except urllib.error.HTTPError as err:
            if err.code in ok:
                return err.code, err.headers, {}
            detail = err.read().decode(errors="replace")[:300]
            raise SystemExit(f"{method} {path}: HTTP {err.code} {detail}")

    def login(self, identity, scope=None):
        auth = {"identity": identity}
        if scope:
            auth["scope"] = scope
        _, headers, body = self.call("POST", "/auth/tokens", {"auth": auth})
        return headers["X-Subject-Token"], body["token"]

    def find(self, collection, key, **query):
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        _, _, body = self.call("GET", f"/{collection}?{qs}")
        items = body.get(key, [])
        return items[0] if items else None

    def ensure(self, collection, key, create, **query):
        found = self.find(collection, key, **query)
        if found:
            return found
        _, _, body = self.call("POST", f"/{collection}", {key[:-1]: create})
        print(f"created {key[:-1]} {create.get('name') or create.get('id')}")
        return body[key[:-1]]


def password_identity(name, password):
    return {"methods": ["password"],
            "password": {"user": {"name": name, "domain": {"id": "default"}, "password": password}}}


def project_scope(name):
    return {"project": {"name": name, "domain": {"id": "default"}}}


def endpoint_url(host, port, version="v1"):
    return f"http://{host}:{port}/{version}/AUTH_%(project_id)s"


def wanted_endpoints(public_port, internal_port):
    for region, host in REGIONS.items():
        yield region, "public", endpoint_url(host, public_port)
        yield region, "internal", endpoint_url(host, internal_port)
        # Swift also accepts /v1.0/, which keeps the admin URL real yet distinguishable.
        yield region, "admin", endpoint_url(host, public_port, "v1.0")


def provision(args, admin_password):
    ks = Keystone(args.auth_url)
    # New default policies want a system-scoped token for managing users and the catalog.
    ks.token, _ = ks.login(password_identity("admin", admin_password), {"system": {"all": True}})
    roles = {name: ks.ensure("roles", "roles", {"name": name}, name=name)["id"]
             for name in ("member", "admin", "service")}

    def project(name):
        return ks.ensure("projects", "projects", {"name": name, "domain_id": "default"},
                         name=name, domain_id="default")

    def user(name, password, project_id):
        return ks.ensure("users", "users",
                         {"name": name, "domain_id": "default", "password": password,
                          "default_project_id": project_id},
                         name=name, domain_id="default")

    demo_project = project("demo")
    demo_user = user("demo", DEMO_PASSWORD, demo_project["id"])
    ks.call("PUT", f"/projects/{demo_project['id']}/users/{demo_user['id']}/roles/{roles['member']}")
    service_project = project("service")
    swift_user = user("swift", SWIFT_PASSWORD, service_project["id"])
    for role in ("admin", "service"):
        ks.call("PUT", f"/projects/{service_project['id']}/users/{swift_user['id']}/roles/{roles[role]}")

    service = ks.ensure("services", "services", {"type": "object-store", "name": "swift"},
                        type="object-store")
    for region in REGIONS:
        if ks.call("GET", f"/regions/{region}", ok=(200, 404))[0] == 404:
            ks.call("POST", "/regions", {"region": {"id": region}})
    _, _, body = ks.call("GET", f"/endpoints?service_id={service['id']}")
    existing = body["endpoints"]
    wanted = set(wanted_endpoints(args.public_port, args.internal_port))
    for ep in existing:
        if (ep["region_id"], ep["interface"], ep["url"]) not in wanted:
            ks.call("DELETE", f"/endpoints/{ep['id']}")
    have = {(ep["region_id"], ep["interface"], ep["url"]) for ep in existing}
    for region, interface, url in sorted(wanted - have):
        ks.call("POST", "/endpoints", {"endpoint": {
            "service_id": service["id"], "region_id": region, "interface": interface, "url": url}})
        print(f"created endpoint {region} {interface} {url}")

    # An application credential belongs to its user: only demo's own token may create it.
    demo_token, _ = ks.login(password_identity("demo", DEMO_PASSWORD), project_scope("demo"))
    _, _, body = ks.call("GET", f"/users/{demo_user['id']}/application_credentials?name={APP_CRED_NAME}",
                         token=demo_token)
    creds = body.get("application_credentials", [])
    if creds:
        cred = creds[0]
    else:
        _, _, body = ks.call("POST", f"/users/{demo_user['id']}/application_credentials",
                             {"application_credential": {"name": APP_CRED_NAME, "secret": APP_CRED_SECRET,
                                                         "description": "cfsh tests"}},
                             token=demo_token)
        cred = body["application_credential"]
        print(f"created application credential {APP_CRED_NAME}")

    fixtures = {
        "auth_url": args.auth_url,
        "domain_id": "default",
        "demo_user_id": demo_user["id"],
        "demo_project_id": demo_project["id"],
        "service_project_id": service_project["id"],
        "application_credential_id": cred["id"],
        "application_credential_name": APP_CRED_NAME,
    }
    with open(args.fixtures, "w") as out:
        json.dump(fixtures, out, indent=2)
        out.write("\n")


def check(args):
    with open(args.fixtures) as f:
        fixtures = json.load(f)
    ks = Keystone(args.auth_url)
    token, body = ks.login(password_identity("demo", DEMO_PASSWORD), project_scope("demo"))
    stores = [s for s in body.get("catalog", []) if s["type"] == "object-store"]
    got = {(e["region_id"], e["interface"]) for s in stores for e in s["endpoints"]}
    if len(got) != 6 or body["project"]["id"] != fixtures["demo_project_id"]:
        raise SystemExit(f"catalog or project differ from the fixtures: {sorted(got)}")
    ks.login({"methods": ["application_credential"],
              "application_credential": {"id": fixtures["application_credential_id"],
                                         "secret": APP_CRED_SECRET}})
    if args.no_storage:
        return
    for interface in ("public", "internal"):
        url = next(e["url"] for s in stores for e in s["endpoints"]
                   if e["region_id"] == "RegionOne" and e["interface"] == interface)
        req = urllib.request.Request(url, method="HEAD", headers={"X-Auth-Token": token})
        with urllib.request.urlopen(req, timeout=10) as resp:
            if resp.status // 100 != 2:
                raise SystemExit(f"HEAD {url}: HTTP {resp.status}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth-url", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--public-port", type=int, default=8082)
    parser.add_argument("--internal-port", type=int, default=8083)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--no-storage", action="store_true")
    args = parser.parse_args()
    if args.check:
        check(args)
    else:
        provision(args, sys.stdin.readline().strip())


if __name__ == "__main__":
    main()
