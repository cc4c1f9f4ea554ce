import Foundation

/// The package folder, from this file's path: Tests/CFSHTestSupport/LocalServers.swift.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The local OpenStack Swift of `scripts/swift-server` and its tempauth accounts.
public enum LocalServer {
    /// tempauth v1.0 on the main proxy; `CFSH_TEST_AUTH_URL` overrides.
    public static let authURL =
        ProcessInfo.processInfo.environment["CFSH_TEST_AUTH_URL"] ?? "http://127.0.0.1:8080/auth/v1.0"
    /// The same accounts with 4-second tokens.
    public static let shortTokenAuthURL = "http://127.0.0.1:8081/auth/v1.0"
    /// scripts/fault-proxy.py in front of the main proxy.
    public static let faultProxyAuthURL = "http://127.0.0.1:8090/auth/v1.0"
    /// Where scripts/fault-proxy.py takes its rules and reports its counts.
    public static let faultProxyControlURL = "http://127.0.0.1:8090/__faults__"

    /// The main test account, `.admin` of AUTH_test.
    public static let user = "test:tester"
    public static let key = "testing"
    /// The second account, `.admin` of AUTH_test2.
    public static let secondUser = "test2:tester2"
    public static let secondKey = "testing2"
    /// A third account, `.admin` of AUTH_partner, for the tests that share or copy across
    /// accounts (ACLs, `X-Copy-From-Account`); unlike AUTH_test2 it may hold containers.
    public static let partnerUser = "partner:partner"
    public static let partnerKey = "partnering"
    /// A user of AUTH_test with no rights in it.
    public static let unprivilegedUser = "test:tester3"
    public static let unprivilegedKey = "testing3"

    /// The variables cfsh reads to connect as the main test account.
    public static let environment = ["ST_AUTH": authURL, "ST_USER": user, "ST_KEY": key]

    /// `$CFSH_STATE_DIR`, or `.state` in the package folder: where the scripts keep the servers.
    public static var stateDirectory: String {
        ProcessInfo.processInfo.environment["CFSH_STATE_DIR"] ?? packageRoot.appendingPathComponent(".state").path
    }

    /// python-swiftclient's `swift` in the servers' venv, called by its full path so that it
    /// never shadows the toolchain's `swift`.
    public static var swiftCLI: String { stateDirectory + "/venv/bin/swift" }
}

/// The local Keystone of `scripts/keystone-server` and the Rackspace identity stand-in of
/// `scripts/rackspace-identity`, with their accounts.
public enum LocalIdentity {
    public static let keystoneURL = URL(string: "http://127.0.0.1:5000/v3")!
    /// The twin Keystone whose tokens live ``shortTokenSeconds`` (same database and keys).
    public static let shortKeystoneURL = URL(string: "http://127.0.0.1:5001/v3")!
    public static let shortTokenSeconds: TimeInterval = 10
    /// The Swift proxies that take Keystone tokens: the catalog's public and internal endpoints.
    public static let publicProxyHealthURL = URL(string: "http://127.0.0.1:8082/healthcheck")!
    public static let internalProxyHealthURL = URL(string: "http://127.0.0.1:8083/healthcheck")!
    public static let demoUser = "demo"
    public static let demoPassword = "demo-secret"
    public static let demoProject = "demo"
    public static let appCredentialName = "cfsh-test"
    public static let appCredentialSecret = "demo-appcred-secret"

    public static let rackspaceURL = URL(string: "http://127.0.0.1:5002/v2.0/")!
    public static let rackspaceUser = "cfshrack"
    public static let rackspaceAPIKey = "0123456789abcdef0123456789abcdef"
    public static let rackspacePassword = "rack-password"
}
