import CFSHTestSupport
import Foundation
import Testing

/// Issue 13, items 6 and 14 and the --skip-identical bugs: `get`'s LOCAL is a folder with
/// `-r` or a glob whatever the count, rsync's trailing `/`, dotfiles, `**`, and names that
/// differ only in normalisation, through the built binary against the local server.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FoldersE2ETests {
    /// The inode of a local file: a download writes a new file and renames it into place.
    static func inode(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require((attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    /// Every object of `container` with its `last_modified`, keyed by the name's bytes.
    static func lastModified(_ container: String) async throws -> [[UInt8]: String] {
        let reply = try await LocalServer.storage("GET", LocalServer.pathEncoded(container) + "?format=json")
        let page = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]])
        var result: [[UInt8]: String] = [:]
        for entry in page {
            if let name = entry["name"] as? String { result[Array(name.utf8)] = entry["last_modified"] as? String }
        }
        return result
    }

    @Test("get -r CONTAINER DIR gives DIR/CONTAINER/… with 1 object and with 4, DIR missing or there")
    func getRecursiveLayout() async throws {
        for count in [1, 4] {
            try await withContainer("layout") { container, scratch in
                for index in 1...count { try scratch.write("src/o\(index).txt", "object \(index)\n") }
                let setup = try await cfsh("lcd src; put o*.txt \(container)/", in: scratch)
                #expect(setup.status == 0, "\(setup)")
                try FileManager.default.createDirectory(
                    atPath: scratch.file("there"), withIntermediateDirectories: true)
                let result = try await cfsh("get -r \(container) missing; get -r \(container) there", in: scratch)
                #expect(result.status == 0, "\(result)")
                for folder in ["missing", "there"] {
                    #expect(
                        TemporaryFolder.files(below: scratch.file(folder))
                            == (1...count).map { "\(container)/o\($0).txt" }, "\(count) objects into \(folder)")
                    #expect(scratch.read("\(folder)/\(container)/o1.txt") == "object 1\n")
                }
            }
        }
    }

    @Test("objects of one base name from a glob or two operands: the first is written, the others refused, exit 1")
    func sameBaseNameRefused() async throws {
        try await withContainer("collide") { container, scratch in
            try scratch.write("src/a/x.sql", "from a\n")
            try scratch.write("src/b/x.sql", "from b\n")
            let setup = try await cfsh("lcd src; put -r a b \(container)/", in: scratch)
            #expect(setup.status == 0, "\(setup)")
            for command in ["get \(container)/*/x.sql out", "get \(container)/**/x.sql out2/"] {
                let result = try await cfsh(command, in: scratch)
                #expect(result.status == 1, "\(command): \(result)")
                #expect(result.stderr.contains("get: refusing"), "\(result)")
                #expect(result.stderr.contains("b/x.sql"), "\(result)")
                #expect(result.stderr.contains("is written to the same local path"), "\(result)")
            }
            #expect(scratch.read("out/x.sql") == "from a\n")
            #expect(scratch.read("out2/x.sql") == "from a\n")
            #expect(TemporaryFolder.files(below: scratch.file("out")) == ["x.sql"])
            // The same object named twice is downloaded once, and is no error.
            let twice = try await cfsh("get \(container)/a/x.sql \(container)/a/x.sql again/", in: scratch)
            #expect(twice.status == 0, "\(twice)")
            #expect(scratch.read("again/x.sql") == "from a\n")
        }
    }

    @Test("a glob matching one object makes LOCAL a folder, never a file named LOCAL; so does an empty container")
    func getGlobIntoFolder() async throws {
        try await withContainer("globone") { container, scratch in
            try scratch.write("src/one.sql", "one\n")
            try scratch.write("src/two.txt", "two\n")
            _ = try await cfsh("lcd src; put one.sql two.txt \(container)/", in: scratch)
            let result = try await cfsh("get \(container)/*.sql restore", in: scratch)
            #expect(result.status == 0, "\(result)")
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: scratch.file("restore"), isDirectory: &isFolder))
            #expect(isFolder.boolValue)
            #expect(scratch.read("restore/one.sql") == "one\n")
            #expect(TemporaryFolder.files(below: scratch.file("restore")) == ["one.sql"])
            // A plain object to a plain name is still saved under that name.
            let renamed = try await cfsh("get \(container)/two.txt copy.txt", in: scratch)
            #expect(renamed.status == 0 && scratch.read("copy.txt") == "two\n", "\(renamed)")
            // With -r, an empty container still has its place, and a file as LOCAL is refused.
            try await withContainer("empty") { empty, _ in
                _ = try await cfsh("mkdir \(empty)")
                let none = try await cfsh("get -r \(empty) blank", in: scratch)
                #expect(none.status == 0, "\(none)")
                var made: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: scratch.file("blank/\(empty)"), isDirectory: &made))
                #expect(made.boolValue)
            }
            let onFile = try await cfsh("get -r \(container) copy.txt", in: scratch)
            #expect(onFile.status == 1)
            #expect(onFile.stderr.contains("'copy.txt' is a file; with -r or a glob, LOCAL is a folder"), "\(onFile)")
            #expect(scratch.read("copy.txt") == "two\n")
        }
    }

    @Test("put -r data/ sends the contents (dotfiles, spaces, subfolders) and get -r c/x/ brings them back alike")
    func trailingSlashContents() async throws {
        try await withContainer("contents") { container, scratch in
            try scratch.write("data/a file.txt", "a\n")
            try scratch.write("data/.env", "SECRET=no\n")
            try scratch.write("data/sub/b.txt", "b\n")
            let put = try await cfsh("put -r data/ \(container)/x/; put -r data \(container)/y/", in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(
                try await LocalServer.objectNames(container) == [
                    "x/.env", "x/a file.txt", "x/sub/b.txt", "y/data/.env", "y/data/a file.txt", "y/data/sub/b.txt",
                ])
            let get = try await cfsh("get -r \(container)/x/ back; get -r \(container)/x named/", in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(TemporaryFolder.files(below: scratch.file("back")) == [".env", "a file.txt", "sub/b.txt"])
            #expect(scratch.read("back/.env") == "SECRET=no\n")
            #expect(TemporaryFolder.files(below: scratch.file("named")) == ["x/.env", "x/a file.txt", "x/sub/b.txt"])
        }
    }

    @Test("a local '*' matches dotfiles, as in rclone and mc")
    func globMatchesDotfiles() async throws {
        try await withContainer("dotfiles") { container, scratch in
            try scratch.write("flat/.hidden", "h\n")
            try scratch.write("flat/shown.txt", "s\n")
            let result = try await cfsh("put flat/* \(container)/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(try await LocalServer.objectNames(container) == [".hidden", "shown.txt"])
        }
    }

    @Test("'**' matches at any depth, in remote and local globs")
    func doubleStar() async throws {
        try await withContainer("globstar") { container, scratch in
            try scratch.write("tree/top.sql", "top\n")
            try scratch.write("tree/a/mid.sql", "mid\n")
            try scratch.write("tree/a/b/deep.sql", "deep\n")
            try scratch.write("tree/a/b/skip.txt", "skip\n")
            let put = try await cfsh("put tree/**/*.sql \(container)/flat/", in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(try await LocalServer.objectNames(container) == ["flat/deep.sql", "flat/mid.sql", "flat/top.sql"])
            _ = try await cfsh("put -r tree \(container)/", in: scratch)
            let get = try await cfsh(
                "get \(container)/tree/**/*.sql found; get \(container)/tree/a/** below/", in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(TemporaryFolder.files(below: scratch.file("found")) == ["deep.sql", "mid.sql", "top.sql"])
            #expect(TemporaryFolder.files(below: scratch.file("below")) == ["deep.sql", "mid.sql", "skip.txt"])
            let folders = try await cfsh("foreach f in \(container)/tree/**/ { echo $f }", in: scratch)
            #expect(folders.status == 0, "\(folders)")
            #expect(folders.lines == ["\(container)/tree/a/", "\(container)/tree/a/b/"])
        }
    }

    @Test("put --skip-identical sends nothing again for two names that differ only in normalisation")
    func skipIdenticalNormalisation() async throws {
        try await withContainer("nfcnfd") { container, scratch in
            let nfc = "caf\u{E9}.txt"
            let nfd = "cafe\u{301}.txt"
            try FileManager.default.createDirectory(atPath: scratch.file("data"), withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: scratch.file("data/" + nfc), contents: Data("nfc\n".utf8)))
            #expect(FileManager.default.createFile(atPath: scratch.file("data/" + nfd), contents: Data("nfd!\n".utf8)))
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.file("data")).count == 2)
            let first = try await cfsh("put -r --skip-identical data \(container)/", in: scratch)
            #expect(first.status == 0, "\(first)")
            let before = try await Self.lastModified(container)
            #expect(Set(before.keys) == [Array(("data/" + nfc).utf8), Array(("data/" + nfd).utf8)])
            try await Task.sleep(for: .milliseconds(20))
            for _ in 1...2 {
                let again = try await cfsh("put -r --skip-identical data \(container)/", in: scratch)
                #expect(again.status == 0, "\(again)")
                #expect(try await Self.lastModified(container) == before, "a re-run sent a file again")
            }
            let body = try await LocalServer.storage("GET", LocalServer.pathEncoded(container + "/data/" + nfd))
            #expect(String(decoding: body.body, as: UTF8.self) == "nfd!\n")
        }
    }

    @Test("get --skip-identical leaves alone a local copy of a dynamic large object that is unchanged")
    func skipIdenticalDynamicLargeObject() async throws {
        try await withContainer("dlo") { container, scratch in
            let segments = container + "_segments"
            #expect(try await LocalServer.storage("PUT", container).status < 300)
            #expect(try await LocalServer.storage("PUT", segments).status < 300)
            for (index, part) in ["first segment\n", "", "second segment\n"].enumerated() {
                let put = try await LocalServer.storage("PUT", "\(segments)/dlo/\(index)", body: Data(part.utf8))
                #expect(put.status == 201)
            }
            let manifest = try await LocalServer.storage(
                "PUT", "\(container)/big.txt", headers: ["X-Object-Manifest: \(segments)/dlo/"], body: Data())
            #expect(manifest.status == 201)
            let first = try await cfsh("get \(container)/big.txt out/", in: scratch)
            #expect(first.status == 0, "\(first)")
            #expect(scratch.read("out/big.txt") == "first segment\nsecond segment\n")
            let inode = try Self.inode(scratch.file("out/big.txt"))
            // By name (a HEAD), and through a glob (whose listing shows the manifest's empty body).
            let again = try await cfsh(
                "get --skip-identical \(container)/big.txt out/; get --skip-identical \(container)/big* out/",
                in: scratch)
            #expect(again.status == 0, "\(again)")
            #expect(try Self.inode(scratch.file("out/big.txt")) == inode, "the identical copy was downloaded again")
            // put --skip-identical of the same bytes leaves the dynamic large object alone.
            let manifestBefore = try await Self.lastModified(container)
            let put = try await cfsh("lcd out; put --skip-identical big.txt \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(try await Self.lastModified(container) == manifestBefore, "put sent the identical file again")
            // A changed local copy is still replaced.
            try scratch.write("out/big.txt", "first segment\nsecond segmenT\n")
            let changed = try await cfsh("get --skip-identical \(container)/big.txt out/", in: scratch)
            #expect(changed.status == 0, "\(changed)")
            #expect(scratch.read("out/big.txt") == "first segment\nsecond segment\n")
        }
    }
}
