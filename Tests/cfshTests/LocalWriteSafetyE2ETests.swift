import CFSHTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Objects with names no well-behaved client makes, stored with `curl --path-as-is` so
/// that `.`, `..` and `//` reach the server exactly as written.
enum HostileObjects {
    /// The direct storage URL and a token for the main test account.
    static func connection() async throws -> (url: String, token: String) {
        try await LocalServer.swiftclientAuth()
    }

    /// Stores `body` as `name` in `container`, which it creates when needed.
    static func put(_ name: String, body: String, in container: String) async throws {
        let (url, token) = try await connection()
        _ = try await LocalServer.shell(
            "/usr/bin/curl", ["-sf", "-X", "PUT", "-H", "X-Auth-Token: " + token, url + "/" + container])
        let result = try await LocalServer.shell(
            "/usr/bin/curl",
            [
                "-sS", "-f", "--path-as-is", "-X", "PUT", "-H", "X-Auth-Token: " + token, "--data-binary", body,
                url + "/" + container + "/" + escape(name),
            ])
        #expect(result.status == 0, "storing \(name.debugDescription): \(result)")
    }

    /// Deletes `container` and every object in it by its exact name: python-swiftclient,
    /// which `withContainer` uses, cannot delete names with `..` or `//`, and a container
    /// left behind shows up in every test that lists the shared account.
    static func removeContainer(_ container: String) async {
        guard let (url, token) = try? await connection(),
            let listing = try? await LocalServer.shell(
                "/usr/bin/curl", ["-sf", "-H", "X-Auth-Token: " + token, url + "/" + container + "?format=json"]),
            let records = try? JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]]
        else { return }
        for name in records.compactMap({ $0["name"] as? String }) {
            _ = try? await LocalServer.shell(
                "/usr/bin/curl",
                [
                    "-sf", "--path-as-is", "-X", "DELETE", "-H", "X-Auth-Token: " + token,
                    url + "/" + container + "/" + escape(name),
                ])
        }
        _ = try? await LocalServer.shell(
            "/usr/bin/curl", ["-sf", "-X", "DELETE", "-H", "X-Auth-Token: " + token, url + "/" + container])
    }

    /// Every byte percent-encoded except unreserved ones and `/`, so `.` and `..` stay literal.
    static func escape(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// A folder tree, nested two deep above the working folder, with a decoy file at every
/// level: what must be the same after a `get` into `work/out/`.
struct NestedWorkspace {
    let scratch: TemporaryFolder
    var work: String { scratch.path + "/a/b/work" }
    var out: String { work + "/out" }

    init(_ scratch: TemporaryFolder) throws {
        self.scratch = scratch
        for decoy in [".bashrc", "a/.bashrc", "a/b/.bashrc", "a/b/work/.bashrc"] {
            try scratch.write(decoy, "precious " + decoy)
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    }

    /// Runs `cfsh -c SCRIPT` as the main test account in `work/`, and expects everything
    /// outside `work/out/` to be as it was.
    func runLeavingOutsideAlone(
        _ script: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let before = outside()
        let result = try await CFSHBinary.command(script, environment: LocalServer.environment, directory: work)
        #expect(outside() == before, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Every entry outside `work/out/` with its type, size and contents (lstat: links are not followed).
    func outside() -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ relative: String) {
            let full = relative.isEmpty ? scratch.path : scratch.path + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else { return }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                if child == "a/b/work/out" { continue }
                var info = stat()
                guard lstat(full + "/" + name, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    found[child] = "folder"
                    walk(child)
                case S_IFREG:
                    found[child] = "file " + (scratch.read(child) ?? "?")
                default:
                    found[child] = "other \(info.st_mode)"
                }
            }
        }
        walk("")
        return found
    }

    /// Every file below `work/out/`, relative to it.
    func restored() -> [String] {
        TemporaryFolder.files(below: out)
    }
}

/// `withContainer` for a container holding hostile names, which are removed by name at the end.
func withHostileContainer(
    _ label: String, _ body: (_ container: String, _ scratch: TemporaryFolder) async throws -> Void
) async throws {
    try await withContainer(label) { container, scratch in
        do {
            try await body(container, scratch)
        } catch {
            await HostileObjects.removeContainer(container)
            throw error
        }
        await HostileObjects.removeContainer(container)
    }
}

/// What `get -r` must do with one hostile name: restore it at this path below
/// `out/CONTAINER/`, or refuse it (`nil`).
struct NameShape: Sendable, CustomTestStringConvertible {
    var name: String
    var restoredAs: String?
    var testDescription: String { name.debugDescription }

    static func refused(_ name: String) -> NameShape { NameShape(name: name, restoredAs: nil) }
    static func kept(_ name: String) -> NameShape { NameShape(name: name, restoredAs: name) }

    static let long255 = String(repeating: "m", count: 255)
    static let long256 = String(repeating: "n", count: 256)

    static let all: [NameShape] = [
        // `..` at every depth, escaping by one to four levels from out/CONTAINER/.
        .refused("../esc-a"), .refused("../../esc-b"), .refused("../../../esc-c"), .refused("a/../../esc-d"),
        .refused("a/b/../../../../esc-e"), .refused(".."), .refused("a/.."), .refused("a/b/.."),
        .refused("a/../esc-f"), .refused("../"), .refused("a/../../"),
        // `.`, absolute and empty components.
        .refused("./esc-g"), .refused("a/./esc-h"), .refused("."), .refused("/esc-i"), .refused("//esc-j"),
        .refused("a//esc-k"),
        // A combining mark after `/` makes `/` and the mark one Character.
        .refused("x/../\u{301}esc-l"), .refused("x/../../\u{338}esc-m"), .refused("../\u{20DD}esc-n"),
        .refused("../../\u{FE0F}esc-o"), .refused("/\u{301}esc-p"), .refused("a/\u{301}/../../../esc-q"),
        .refused("..\u{301}/../../esc-r"),
        // Longer than NAME_MAX.
        .refused(long256), .refused("d/" + long256),
        // Names that only look dangerous: written as they are, inside the folder.
        .kept("..."), .kept("..\u{301}"), .kept("..\u{301}/inner"), .kept(".\u{338}"), .kept("x/\u{20DD}y"),
        .kept("\u{FE0F}"), .kept("a..b/.hidden"), .kept("ctl-\u{1}\u{7}\u{1B}[31m-\u{7F}"), .kept("tab\there"),
        .kept("new\nline"), .kept(long255), .kept("d/" + long255),
    ]

    /// Pseudo-folder shapes for `get -r 'c/*/'`: a pseudo-folder with one object in it.
    static let folders: [NameShape] = [
        .refused("../"), .refused("./"), .refused("..\u{338}/../"), .refused(".\u{301}/../../"),
        NameShape(name: "..\u{301}/", restoredAs: "..\u{301}"), NameShape(name: "ok/", restoredAs: "ok"),
    ]
}

/// Issue 11 B: `get` writes only inside its target folder, whatever names the server sends.
@Suite(.timeLimit(.minutes(5))) struct LocalWriteSafetyE2ETests {
    @Test(
        "get -r of a container with a hostile name writes nothing outside the target folder", arguments: NameShape.all)
    func recursiveGet(shape: NameShape) async throws {
        try await withHostileContainer("localsafe") { container, scratch in
            let workspace = try NestedWorkspace(scratch)
            try await HostileObjects.put("safe.txt", body: "safe", in: container)
            try await HostileObjects.put(shape.name, body: "hostile", in: container)
            let result = try await workspace.runLeavingOutsideAlone("get -r \(container) out/")
            #expect(scratch.read("a/b/work/out/\(container)/safe.txt") == "safe", "\(result)")
            if let local = shape.restoredAs {
                #expect(result.status == 0, "\(result)")
                #expect(scratch.read("a/b/work/out/\(container)/\(local)") == "hostile", "\(result)")
                #expect(Set(workspace.restored()) == ["\(container)/safe.txt", "\(container)/\(local)"])
            } else {
                #expect(result.status == 1, "\(result)")
                #expect(workspace.restored() == ["\(container)/safe.txt"], "\(result)")
                #expect(result.stderr.contains("refus"), "\(result)")
            }
        }
    }

    @Test("get -r of a glob matching a hostile pseudo-folder stays inside the target", arguments: NameShape.folders)
    func globbedFolder(shape: NameShape) async throws {
        try await withHostileContainer("localglob") { container, scratch in
            let workspace = try NestedWorkspace(scratch)
            try await HostileObjects.put("safe/file", body: "safe", in: container)
            try await HostileObjects.put(shape.name + ".bashrc", body: "hostile", in: container)
            let result = try await workspace.runLeavingOutsideAlone("get -r \(container)/*/ out/")
            #expect(scratch.read("a/b/work/out/safe/file") == "safe", "\(result)")
            if let local = shape.restoredAs {
                #expect(result.status == 0, "\(result)")
                #expect(scratch.read("a/b/work/out/\(local)/.bashrc") == "hostile", "\(result)")
            } else {
                #expect(result.status == 1, "\(result)")
                #expect(workspace.restored() == ["safe/file"], "\(result)")
            }
        }
    }

    @Test("get of single objects whose last component is hostile stays inside the target")
    func singleObjects() async throws {
        try await withHostileContainer("localone") { container, scratch in
            let workspace = try NestedWorkspace(scratch)
            for name in ["x/..", "x/.", "x/..\u{301}", "x/" + NameShape.long256, "x/ok"] {
                try await HostileObjects.put(name, body: "hostile", in: container)
            }
            let result = try await workspace.runLeavingOutsideAlone("get \(container)/x/* out/")
            #expect(result.status == 1, "\(result)")
            #expect(Set(workspace.restored()) == ["ok", "..\u{301}"], "\(result)")
        }
    }

    @Test("get never follows a symbolic link inside the target folder out of it")
    func symbolicLinks() async throws {
        try await withHostileContainer("locallink") { container, scratch in
            let workspace = try NestedWorkspace(scratch)
            try await HostileObjects.put("link/.bashrc", body: "hostile", in: container)
            try await HostileObjects.put("file", body: "replaced", in: container)
            try await HostileObjects.put("ok", body: "ok", in: container)
            // A link to a folder outside, where an object's folder would go, and a link to a
            // file outside, where an object's file would go.
            let root = workspace.out + "/" + container
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: scratch.path + "/a")
            try FileManager.default.createSymbolicLink(
                atPath: root + "/file", withDestinationPath: scratch.path + "/a/.bashrc")
            let result = try await workspace.runLeavingOutsideAlone("get -r \(container) out/")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("link"), "\(result)")
            #expect(scratch.read("a/b/work/out/\(container)/ok") == "ok")
            // The link to a file is replaced by the object, not written through.
            #expect(scratch.read("a/b/work/out/\(container)/file") == "replaced")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/file")) == nil)
        }
    }

    @Test("get over an existing file keeps its mode; a new file gets the umask's")
    func keepsMode() async throws {
        try await withHostileContainer("localmode") { container, scratch in
            try await HostileObjects.put("key", body: "new key", in: container)
            try await HostileObjects.put("fresh", body: "fresh", in: container)
            try scratch.write("key", "old key")
            #expect(chmod(scratch.path + "/key", 0o600) == 0)
            let result = try await cfsh("get \(container)/key \(container)/fresh ./", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(scratch.read("key") == "new key")
            let mode =
                try FileManager.default.attributesOfItem(atPath: scratch.path + "/key")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let fresh =
                try FileManager.default.attributesOfItem(atPath: scratch.path + "/fresh")[.posixPermissions] as? Int
            let mask = umask(0o022)
            umask(mask)
            #expect(fresh == 0o666 & ~Int(mask))
        }
    }

    @Test("an object with a 240-byte base name downloads")
    func longBaseName() async throws {
        try await withHostileContainer("locallong") { container, scratch in
            let name = String(repeating: "l", count: 240)
            try await HostileObjects.put(name, body: "long", in: container)
            let result = try await cfsh("get \(container)/\(name) ./", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(scratch.read(name) == "long")
            #expect(scratch.files() == [name])
        }
    }
}
