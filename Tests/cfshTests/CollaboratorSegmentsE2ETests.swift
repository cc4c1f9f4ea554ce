import CFSHTestSupport
import Foundation
import Testing

/// A collaborator with write access to one shared container plants manifests and links
/// there; the owner then deletes or replaces them. Only what the owner named may go, and
/// the segments of a large object only where an upload of that object puts them.
@Suite(.timeLimit(.minutes(5))) struct CollaboratorSegmentsE2ETests {
    /// What the collaborator planted at `shared/drop/report.txt`.
    enum Shape: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `X-Object-Manifest: victim/important` (no `/`): lists `important-1…` and `important/…`.
        case dynamicNoSlash
        /// `X-Object-Manifest: victim/important/`: a container the collaborator cannot read.
        case dynamicOtherContainer
        /// `X-Object-Manifest: shared_segments/precious/`: the right container, another name.
        case dynamicOtherName
        /// A static manifest listing objects of a container the owner shares read-only.
        case staticOtherContainer
        /// A symlink to the owner's dynamic large object in `victim`.
        case linkToDynamic
        /// A symlink to the owner's static large object in `victim`.
        case linkToStatic

        var testDescription: String { rawValue }
        var isLink: Bool { self == .linkToDynamic || self == .linkToStatic }
    }

    enum Command: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case rm, rmRecursive, rmdirForce, put, putLarge
        var testDescription: String { rawValue }

        func text(_ s: Scenario) -> String {
            switch self {
            case .rm: "rm \(s.shared)/drop/report.txt"
            case .rmRecursive: "rm -r \(s.shared)/drop/"
            case .rmdirForce: "rmdir --force \(s.shared)"
            case .put: "put report.txt \(s.shared)/drop/"
            case .putLarge: "put --segment-size 1M big.bin \(s.shared)/drop/report.txt"
            }
        }
    }

    @Test(
        "deleting or replacing a collaborator's manifest or link deletes no segment outside its own, and says what it kept",
        arguments: Shape.allCases, Command.allCases)
    func collaboratorCannotAimDeletions(shape: Shape, command: Command) async throws {
        try await Scenario.run { s, scratch in
            try await s.plant(shape)
            let before = try await s.victimObjects()
            try scratch.write("report.txt", "the owner's report\n")
            try scratch.write("big.bin", String(repeating: "0123456789abcdef", count: 160_000))

            let result = try await cfsh(command.text(s), in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(try await s.victimObjects() == before, "\(shape) \(command): \(result)")
            if command == .put {
                #expect(try await cfsh("cat \(s.shared)/drop/report.txt").stdout == "the owner's report\n")
            } else if command == .putLarge {
                #expect(
                    try await LocalServer.objectNames(s.shared, prefix: "drop/") == ["drop/report.txt"], "\(result)")
                #expect(
                    try await LocalServer.objectNames(s.sharedSegments, prefix: "drop/report.txt/slo/").count == 3,
                    "\(result)")
            } else {
                #expect(try await LocalServer.objectNames(s.shared, prefix: "drop/").isEmpty, "\(result)")
            }
            let said = result.stdout + result.stderr
            if shape.isLink {
                #expect(!said.contains("kept"), "\(result)")
            } else {
                let count = shape == .dynamicNoSlash ? 6 : 3
                let container =
                    shape == .staticOtherContainer
                    ? s.library : shape == .dynamicOtherName ? s.sharedSegments : s.victim
                #expect(said.contains("kept \(count) segments of 'drop/report.txt': they are "), "\(result)")
                #expect(said.contains("'\(container)'"), "\(result)")
            }
        }
    }

    @Test(
        "the owner's own large objects in the shared container still go with their segments",
        arguments: Command.allCases)
    func ownSegmentsStillGo(command: Command) async throws {
        try await Scenario.run { s, scratch in
            // As a cfsh or swiftclient upload lays them out: a dynamic one with its segments in
            // shared_segments, a static one with its segments beside it.
            try await s.ownerDynamic(s.shared, "drop/report.txt", segments: s.sharedSegments)
            try await s.ownerStatic(s.shared, "drop/other.bin", segments: s.shared)
            try scratch.write("report.txt", "the owner's report\n")
            try scratch.write("big.bin", String(repeating: "0123456789abcdef", count: 160_000))
            let result = try await cfsh(command.text(s), in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(!(result.stdout + result.stderr).contains("kept"), "\(result)")
            // The old segments, 00000001…; a large put leaves its own new ones under slo/.
            #expect(
                try await LocalServer.objectNames(s.sharedSegments, prefix: "drop/report.txt/0").isEmpty, "\(result)")
            let left = try await LocalServer.objectNames(s.shared, prefix: "drop/other.bin/")
            let deletesFolder = command == .rmRecursive || command == .rmdirForce
            #expect(left.isEmpty == deletesFolder, "\(result)")
        }
    }
}

/// The containers of one collaborator scenario: the owner (test:tester) has `victim` (which
/// test2 cannot read), `library` (shared read-only with test2) and `shared` (test2 may read and
/// write); test2:tester2 plants objects in `shared` with its own token.
struct Scenario: Sendable {
    let victim: String
    let library: String
    let shared: String
    var sharedSegments: String { shared + "_segments" }
    var victimSegments: String { victim + "_segments" }
    let owner: Session
    let collaborator: Session

    struct Session: Sendable {
        let storageURL: String
        let token: String

        static func login(_ user: String, _ key: String) async throws -> Session {
            let result = try await LocalServer.shell(
                "/usr/bin/curl",
                ["-sSi", "-H", "X-Auth-User: " + user, "-H", "X-Auth-Key: " + key, LocalServer.authURL])
            func header(_ name: String) -> String? {
                result.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name + ": ") }
                    .map { String($0.dropFirst(name.count + 2)) }
            }
            return Session(
                storageURL: try #require(header("x-storage-url"), "\(result)"),
                token: try #require(header("x-auth-token"), "\(result)"))
        }

        /// `curl --path-as-is` with this session's token on `AUTH_test/path`; returns the status.
        @discardableResult
        func curl(
            _ method: String, _ path: String, headers: [String] = [], body: String? = nil, storageURL: String? = nil
        ) async throws -> Int {
            var arguments = [
                "-s", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", "-X", method, "-H",
                "X-Auth-Token: " + token,
            ]
            for header in headers { arguments += ["-H", header] }
            if let body { arguments += ["--data-binary", body] }
            arguments.append((storageURL ?? self.storageURL) + "/" + path)
            let result = try await LocalServer.shell("/usr/bin/curl", arguments)
            return Int(result.stdout) ?? 0
        }
    }

    static func run(_ body: (Scenario, TemporaryFolder) async throws -> Void) async throws {
        try await LocalServer.require()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let owner = try await Session.login(LocalServer.user, LocalServer.key)
        let collaborator = try await Session.login(LocalServer.secondUser, LocalServer.secondKey)
        let s = Scenario(
            victim: "cfsh-victim-\(tag)", library: "cfsh-library-\(tag)", shared: "cfsh-shared-\(tag)",
            owner: owner, collaborator: collaborator)
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        do {
            try await s.setUp()
            try await body(s, scratch)
        } catch {
            await s.tearDown()
            throw error
        }
        await s.tearDown()
    }

    func setUp() async throws {
        try await expectCreated(owner.curl("PUT", victim))
        try await expectCreated(owner.curl("PUT", victimSegments))
        try await expectCreated(owner.curl("PUT", sharedSegments))
        try await expectCreated(owner.curl("PUT", library, headers: ["X-Container-Read: \(LocalServer.secondUser)"]))
        try await expectCreated(
            owner.curl(
                "PUT", shared,
                headers: [
                    "X-Container-Read: \(LocalServer.secondUser)", "X-Container-Write: \(LocalServer.secondUser)",
                ]))
        for name in ["important-1", "important-2", "important-3", "important/a", "important/b", "important/c"] {
            try await expectCreated(owner.curl("PUT", victim + "/" + name, body: "victim " + name))
        }
        for index in 1...3 {
            try await expectCreated(owner.curl("PUT", "\(library)/important-\(index)", body: "library \(index)"))
            try await expectCreated(owner.curl("PUT", "\(sharedSegments)/precious/\(index)", body: "precious \(index)"))
        }
        try await ownerDynamic(victim, "big.dlo", segments: victimSegments)
        try await ownerStatic(victim, "big.slo", segments: victimSegments)
        // The collaborator can write in shared but not read victim.
        #expect(try await collaborator.curl("GET", victim, storageURL: owner.storageURL) == 403)
    }

    func tearDown() async {
        for container in [shared, sharedSegments, victim, victimSegments, library] {
            await LocalServer.removeContainer(container)
        }
    }

    /// Everything the owner keeps outside the shared pseudo-folder, and the segments of the
    /// large objects the links point to.
    func victimObjects() async throws -> [String] {
        var all: [String] = []
        for container in [victim, victimSegments, library] {
            all += try await LocalServer.objectNames(container).map { container + "/" + $0 }
        }
        all += try await LocalServer.objectNames(sharedSegments, prefix: "precious/").map { sharedSegments + "/" + $0 }
        return all
    }

    /// The collaborator's object at `shared/drop/report.txt`, written with test2's token.
    func plant(_ shape: CollaboratorSegmentsE2ETests.Shape) async throws {
        let path = shared + "/drop/report.txt"
        let url = owner.storageURL
        switch shape {
        case .dynamicNoSlash:
            try await expectCreated(
                collaborator.curl(
                    "PUT", path, headers: ["X-Object-Manifest: \(victim)/important"], body: "", storageURL: url))
        case .dynamicOtherContainer:
            try await expectCreated(
                collaborator.curl(
                    "PUT", path, headers: ["X-Object-Manifest: \(victim)/important/"], body: "", storageURL: url))
        case .dynamicOtherName:
            try await expectCreated(
                collaborator.curl(
                    "PUT", path, headers: ["X-Object-Manifest: \(sharedSegments)/precious/"], body: "", storageURL: url)
            )
        case .staticOtherContainer:
            let manifest = (1...3).map { #"{"path": "/\#(library)/important-\#($0)"}"# }.joined(separator: ",")
            try await expectCreated(
                collaborator.curl(
                    "PUT", path + "?multipart-manifest=put", body: "[" + manifest + "]", storageURL: url))
        case .linkToDynamic:
            try await expectCreated(
                collaborator.curl(
                    "PUT", path, headers: ["X-Symlink-Target: \(victim)/big.dlo"], body: "", storageURL: url))
        case .linkToStatic:
            try await expectCreated(
                collaborator.curl(
                    "PUT", path, headers: ["X-Symlink-Target: \(victim)/big.slo"], body: "", storageURL: url))
        }
    }

    /// A dynamic large object of three segments under `name/` in `segments`, as the owner uploads one.
    func ownerDynamic(_ container: String, _ name: String, segments: String) async throws {
        for index in 1...3 {
            try await expectCreated(owner.curl("PUT", "\(segments)/\(name)/0000000\(index)", body: "dynamic \(index)"))
        }
        try await expectCreated(
            owner.curl("PUT", "\(container)/\(name)", headers: ["X-Object-Manifest: \(segments)/\(name)/"], body: ""))
    }

    /// A static large object of three segments under `name/` in `segments`, as the owner uploads one.
    func ownerStatic(_ container: String, _ name: String, segments: String) async throws {
        try await expectCreated(owner.curl("PUT", segments))
        var entries: [String] = []
        for index in 1...3 {
            try await expectCreated(owner.curl("PUT", "\(segments)/\(name)/0000000\(index)", body: "static \(index)"))
            entries.append(#"{"path": "/\#(segments)/\#(name)/0000000\#(index)"}"#)
        }
        try await expectCreated(
            owner.curl(
                "PUT", "\(container)/\(name)?multipart-manifest=put", body: "[" + entries.joined(separator: ",") + "]"))
    }

    private func expectCreated(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            status == 201 || status == 202, "setting up the scenario got HTTP \(status)", sourceLocation: sourceLocation
        )
    }
}
