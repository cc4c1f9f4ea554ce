import CFSHTestSupport
import Foundation
import Testing

/// The built cfsh against a hostile server: it exits with status 0 or 1 (never 132/SIGILL
/// or 139/SIGSEGV), in bounded time, and leaves no partial file behind.
@Suite("cfsh against a hostile server", .serialized, .timeLimit(.minutes(3)))
struct HostileServerE2ETests {
    struct Run {
        var result: CommandResult
        var elapsed: Duration
        var files: [String]
    }

    static func run(
        _ mode: String, _ script: String, tls: Bool = false, environment: [String: String]? = nil
    ) async throws -> Run {
        let server = try HostileServer(mode: mode, tls: tls)
        defer { server.stop() }
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        let started = ContinuousClock.now
        let result = try await CFSHBinary.run(
            ["-c", script], environment: environment ?? server.environment, directory: scratch.path,
            timeout: .seconds(60))
        return Run(result: result, elapsed: ContinuousClock.now - started, files: scratch.files())
    }

    @Test(
        "an X-Object-Meta-Mtime that is no time is ignored by get, get -r and stat",
        arguments: ["nan", "1e300", "-1e300", "-inf", "9223372036854775807"])
    func hostileMtime(value: String) async throws {
        for script in ["get c/f.txt out/", "get -r c out/", "stat c/f.txt"] {
            let run = try await Self.run("mtime:\(value)", script)
            #expect(run.result.status == 0, "\(script): \(run.result)")
            #expect(!run.files.contains { $0.hasSuffix(".part") }, "\(script): \(run.files)")
            if script.hasPrefix("get") {
                #expect(
                    run.files.contains { $0.hasSuffix("out/f.txt") || $0.hasSuffix("out/c/f.txt") },
                    "\(script): \(run.files)")
            }
        }
    }

    @Test("Last-Modified in year 9223372036854775807 and X-Delete-At: 1e300 are shown raw or not at all")
    func hostileDates() async throws {
        for (mode, script) in [
            ("last-modified-year:9223372036854775807", "stat c/f.txt"),
            ("last-modified-year:9223372036854775807", "stat --json c/f.txt"),
            ("delete-at:1e300", "stat c/f.txt"), ("delete-at:nan", "stat --json c/f.txt"),
        ] {
            let run = try await Self.run(mode, script)
            #expect(run.result.status == 0, "\(mode) \(script): \(run.result)")
        }
    }

    @Test("Retry-After: 1e300 fails at once with status 1")
    func retryAfter() async throws {
        let run = try await Self.run("retry-after", "ls c")
        #expect(run.result.status == 1, "\(run.result)")
        #expect(run.elapsed < .seconds(15), "\(run.elapsed)")
    }

    @Test("a 503 with an endless body fails in bounded time with status 1")
    func endless503() async throws {
        let run = try await Self.run("endless-503", "ls c")
        #expect(run.result.status == 1, "\(run.result)")
        #expect(run.elapsed < .seconds(50), "\(run.elapsed)")
    }

    @Test(
        "a listing that repeats its last name stops ls -r and get -r with status 1",
        arguments: ["repeat-marker", "unsorted-listing"])
    func stuckListing(mode: String) async throws {
        for script in ["ls -r c", "get -r c out/", "ls"] {
            let run = try await Self.run(mode, script)
            #expect(run.result.status == 1, "\(mode) \(script): \(run.result)")
            #expect(run.elapsed < .seconds(20), "\(mode) \(script): \(run.elapsed)")
            #expect(!run.files.contains { $0.hasSuffix(".part") }, "\(run.files)")
        }
    }

    @Test("an SLO manifest whose sizes overflow Int64 never traps, and leaves no partial file")
    func sloOverflow() async throws {
        for script in ["get c/f.txt out/", "rm c/f.txt", "stat c/f.txt"] {
            let run = try await Self.run("slo-overflow", script)
            #expect([0, 1].contains(run.result.status), "\(script): \(run.result)")
            #expect(!run.files.contains { $0.hasSuffix(".part") }, "\(run.files)")
        }
    }

    @Test("counts and sizes past Int64 never trap ls -l, stat or get -r")
    func countOverflow() async throws {
        for script in ["ls -l", "ls -l c", "stat", "stat c", "get -r c out/", "ls -lh"] {
            let run = try await Self.run("count-overflow", script)
            #expect([0, 1].contains(run.result.status), "\(script): \(run.result)")
        }
    }

    @Test("X-Auth-Token-Expires: 1e300 and a Keystone expires_at with an absurd offset still connect")
    func tokenExpiry() async throws {
        let v1 = try await Self.run("token-expires:1e300", "ls c")
        #expect(v1.result.status == 0, "\(v1.result)")
        let server = try HostileServer(mode: "keystone-expires:2030-01-01T00:00:00.000000+99999999999999999:00")
        defer { server.stop() }
        let keystone = try await CFSHBinary.run(
            ["-c", "ls c"],
            environment: [
                "OS_AUTH_URL": server.keystoneURL.absoluteString, "OS_USERNAME": "tester",
                "OS_PASSWORD": "testing", "OS_PROJECT_NAME": "test", "OS_USER_DOMAIN_NAME": "Default",
                "OS_PROJECT_DOMAIN_NAME": "Default",
            ],
            timeout: .seconds(60))
        #expect(keystone.status == 0, "\(keystone)")
    }

    @Test("a self-signed certificate fails once, at once, with status 1")
    func tlsFailure() async throws {
        let run = try await Self.run("normal", "ls", tls: true)
        #expect(run.result.status == 1, "\(run.result)")
        #expect(run.elapsed < .seconds(10), "\(run.elapsed)")
        #expect(run.result.stderr.lowercased().contains("certificate"), "\(run.result)")
    }
}
