import CFSHTestSupport
import Foundation
import Testing

/// Objects put on the local Swift with `curl --path-as-is`, whatever bytes their names hold,
/// and read back with a JSON listing (a plain listing splits a name that holds a newline).
enum RawSwift {
    struct Session: Sendable {
        var storageURL: String
        var token: String
    }

    /// Logs in as the main test account with the v1.0 auth.
    static func session() async throws -> Session {
        let result = try await LocalServer.shell(
            "/usr/bin/curl",
            [
                "-s", "-D", "-", "-o", "/dev/null", "-H", "X-Auth-User: \(LocalServer.user)",
                "-H", "X-Auth-Key: \(LocalServer.key)", LocalServer.authURL,
            ])
        var headers: [String: String] = [:]
        for line in result.stdout.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Session(storageURL: try #require(headers["x-storage-url"]), token: try #require(headers["x-auth-token"]))
    }

    /// Every byte but ASCII letters and digits percent-encoded, `/` included: the server
    /// decodes the path once, so the name arrives exactly, `..` and `.` segments too.
    static func encode(_ name: String) -> String {
        var encoded = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    static func curl(_ session: Session, _ arguments: [String]) async throws -> CommandResult {
        try await LocalServer.shell(
            "/usr/bin/curl", ["-s", "--path-as-is", "-H", "X-Auth-Token: \(session.token)"] + arguments)
    }

    static func createContainer(_ session: Session, _ container: String) async throws {
        let result = try await curl(
            session, ["-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", session.storageURL + "/" + container])
        #expect(["201", "202"].contains(result.stdout), "PUT container \(container): \(result)")
    }

    static func put(_ session: Session, _ container: String, _ name: String, body: String = "x") async throws {
        let result = try await curl(
            session,
            [
                "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data-binary", body,
                session.storageURL + "/" + container + "/" + encode(name),
            ])
        #expect(result.stdout == "201", "PUT \(container)/\(name.debugDescription): \(result)")
    }

    /// The exact object names in `container`.
    static func names(_ session: Session, _ container: String) async throws -> Set<String> {
        let result = try await curl(session, [session.storageURL + "/" + container + "?format=json&limit=10000"])
        let records = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        return Set(records.compactMap { $0["name"] as? String })
    }
}

/// A name from a listing or a glob reaches the next command as exactly that object, however
/// hostile: `..`, `.`, a leading or doubled `/`, glob characters, line breaks, escape sequences,
/// combining marks after a `/`, a leading `-`. Each case puts one hostile name beside objects
/// that must survive, runs the loops the language guide shows, and checks what is left.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileNamesE2ETests {
    /// Names put below `logs/` (a listing test) or as `top/SHAPE/file` (a glob test).
    static let shapes: [String] = [
        "..", ".", "a/..", "a/../", "../keep", "a/../../keep", "x/../../y", "./keep", "a/./b",
        "/victim-root", "//keep", "a//b", "d/", "*", "?", "[ab]", "*/",
        "x\n/VICTIM/precious", "x\n../../keep", "\n", "x\r/VICTIM/precious", "\u{1b}]0;title\u{07}x", "\u{1b}[2J",
        "x/\u{301}../keep", "\u{301}..", "a/\u{20DD}/b", "..\u{338}/keep", "/\u{301}x",
        "-r", "-", "--force", "-rf/x", "\u{7f}del", "c1\u{9b}31m", "nel\u{85}x", "tab\tx", "sp ace",
    ]

    /// The test's own container and a second one, `VICTIM`, that holds only `precious`.
    struct Arena {
        var session: RawSwift.Session
        var container: String
        var victim: String

        static func make() async throws -> Arena {
            try await LocalServer.require()
            let arena = Arena(
                session: try await RawSwift.session(), container: LocalServer.uniqueContainer("hostile"),
                victim: LocalServer.uniqueContainer("victim"))
            try await RawSwift.createContainer(arena.session, arena.container)
            try await RawSwift.createContainer(arena.session, arena.victim)
            try await RawSwift.put(arena.session, arena.victim, "precious")
            return arena
        }

        /// Runs `cfsh -c SCRIPT` as the main test account, then removes both containers:
        /// returns what cfsh did and the names each container held.
        func run(_ script: String) async throws -> (CommandResult, left: Set<String>, victimLeft: Set<String>) {
            let result = try await CFSHBinary.command(script, environment: LocalServer.environment)
            let left = try await RawSwift.names(session, container)
            let victimLeft = try await RawSwift.names(session, victim)
            await LocalServer.removeContainer(container)
            await LocalServer.removeContainer(victim)
            return (result, left, victimLeft)
        }
    }

    /// Objects outside `logs/` that a loop over `logs/` must never touch, in the test's own
    /// container and in a second one (`VICTIM`).
    static let keepers = ["keep", "y", "victim-root", "a/b", "top", "logs", "logsx"]

    /// Puts `logs/SHAPE` and the keepers, then lets `script` loop over the listing.
    private func runListingCase(_ shape: String, script: (String) -> String) async throws {
        let arena = try await Arena.make()
        let (session, container) = (arena.session, arena.container)
        let hostile = "logs/" + shape.replacingOccurrences(of: "VICTIM", with: arena.victim)
        try await RawSwift.put(session, container, hostile)
        try await RawSwift.put(session, container, "logs/plain")
        for name in Self.keepers { try await RawSwift.put(session, container, name) }
        #expect(try await RawSwift.names(session, container).contains(hostile))

        let (result, left, victimLeft) = try await arena.run(script(container))
        #expect(left == Set(Self.keepers), "\(hostile.debugDescription): \(result)")
        #expect(victimLeft == ["precious"], "\(result)")
        #expect(result.status == 0, "\(result)")
    }

    @Test("foreach f in $(ls -r c/logs/) { rm $f } deletes exactly the objects below logs/", arguments: shapes)
    func listingLoopFromRoot(shape: String) async throws {
        try await runListingCase(shape) { container in "foreach f in $(ls -r \(container)/logs/) { rm $f }" }
    }

    @Test("inside the folder, names that look like options or absolute paths still name the objects", arguments: shapes)
    func listingLoopInside(shape: String) async throws {
        try await runListingCase(shape) { container in "cd \(container)/logs/\nforeach f in $(ls -r) { rm $f }" }
    }

    @Test("a glob over pseudo-folders deletes exactly what is below each match", arguments: shapes)
    func globLoop(shape: String) async throws {
        let arena = try await Arena.make()
        let (session, container) = (arena.session, arena.container)
        let folder = shape.replacingOccurrences(of: "VICTIM", with: arena.victim)
        // Only pseudo-folders two levels down match c/*/*/; the one under test is top/SHAPE/.
        let hostile = "top/" + folder + (folder.hasSuffix("/") ? "" : "/") + "file"
        try await RawSwift.put(session, container, hostile)
        let keepers = ["keep", "y", "victim-root", "a", "top", "topfile", "other/object"]
        for name in keepers { try await RawSwift.put(session, container, name) }

        let (result, left, victimLeft) = try await arena.run("foreach d in \(container)/*/*/ { rm -r $d }")
        // Whatever the glob matched was below top/, and the keepers are all still there.
        #expect(left.isSuperset(of: keepers), "\(hostile.debugDescription): \(result)")
        #expect(left.subtracting(keepers).allSatisfy { $0.utf8.starts(with: "top/".utf8) }, "\(result)")
        #expect(!left.contains(hostile), "\(hostile.debugDescription): \(result)")
        #expect(victimLeft == ["precious"], "\(result)")
        #expect(result.status == 0, "\(result)")
    }

    @Test("ls on a pipe prints names raw, one a line; --json is exact")
    func pipeOutput() async throws {
        try await LocalServer.require()
        let session = try await RawSwift.session()
        let container = LocalServer.uniqueContainer("hostile")
        try await RawSwift.createContainer(session, container)
        let name = "a\u{1b}[31mred\u{07}\u{9b}x"
        try await RawSwift.put(session, container, name)
        let result = try await CFSHBinary.command("ls \(container)", environment: LocalServer.environment)
        #expect(result.stdout == container + "/" + name + "\n")
        let json = try await CFSHBinary.command("ls --json \(container)", environment: LocalServer.environment)
        await LocalServer.removeContainer(container)
        let records = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(records?.first?["name"] as? String == name)
        #expect(!json.stdout.contains("\u{1b}"))
    }

    @Test("an error names a hostile object escaped, on standard error")
    func errorsEscaped() async throws {
        try await LocalServer.require()
        let session = try await RawSwift.session()
        let container = LocalServer.uniqueContainer("hostile")
        try await RawSwift.createContainer(session, container)
        let result = try await CFSHBinary.command(
            "cat \"\(container)/no\\r\\nsuch\"", environment: LocalServer.environment)
        await LocalServer.removeContainer(container)
        #expect(result.status == 1)
        #expect(!result.stderr.dropLast().contains(where: { $0.isNewline }), "\(result)")
        #expect(result.stderr.contains("no\\r\\n"), "\(result)")
    }
}
