import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// Runs `body` with a fresh container name and a scratch folder, then removes both.
func withContainer(
    _ label: String = "e2e", _ body: (_ container: String, _ scratch: TemporaryFolder) async throws -> Void
) async throws {
    try await LocalServer.require()
    let container = LocalServer.uniqueContainer(label)
    let scratch = try TemporaryFolder()
    do {
        try await body(container, scratch)
    } catch {
        await LocalServer.removeContainer(container)
        await LocalServer.removeContainer(container + "_segments")
        scratch.remove()
        throw error
    }
    await LocalServer.removeContainer(container)
    await LocalServer.removeContainer(container + "_segments")
    scratch.remove()
}

/// Runs cfsh -c TEXT connected to the local server as test:tester.
func cfsh(
    _ text: String, in scratch: TemporaryFolder? = nil, environment: [String: String] = [:]
) async throws -> CommandResult {
    try await CFSHBinary.command(
        text, environment: LocalServer.environment.merging(environment) { _, new in new }, directory: scratch?.path)
}

/// Every command against the real local server; results are also checked with python-swiftclient.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CommandE2ETests {
    @Test("mkdir creates containers, idempotently, and ls lists them")
    func mkdirAndList() async throws {
        try await withContainer { container, _ in
            let result = try await cfsh("mkdir \(container); mkdir \(container); ls")
            #expect(result.status == 0, "\(result)")
            #expect(result.lines.contains(container))
            #expect(result.stderr == "")
            #expect(try await LocalServer.containerExists(container))
            let bad = try await cfsh("mkdir \(container)/folder/")
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("mkdir creates containers"))
        }
    }

    @Test("put uploads a file, a renamed file, a glob and a folder; swiftclient sees them byte for byte")
    func put() async throws {
        try await withContainer { container, scratch in
            try scratch.write("db.sql", "create table t;\n")
            try scratch.write("dumps/a.sql", "a\n")
            try scratch.write("dumps/b.sql", "bb\n")
            try scratch.write("dumps/notes.txt", "n\n")
            try scratch.write("dumps/deep/c.sql", "ccc\n")
            let result = try await cfsh(
                """
                put db.sql \(container)/
                put db.sql \(container)/renamed/latest.sql
                put dumps/*.sql \(container)/glob/
                put -r dumps \(container)/tree/
                """, in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "")
            #expect(result.stderr == "")
            let names = try await LocalServer.objectNames(container)
            #expect(
                names == [
                    "db.sql", "glob/a.sql", "glob/b.sql", "renamed/latest.sql", "tree/dumps/a.sql", "tree/dumps/b.sql",
                    "tree/dumps/deep/c.sql", "tree/dumps/notes.txt",
                ])
            let body = try await LocalServer.swiftclient(["download", container, "tree/dumps/deep/c.sql", "-o", "-"])
            #expect(body.stdout == "ccc\n")
        }
    }

    @Test("put refuses a folder without -r and several files without a destination folder")
    func putMistakes() async throws {
        try await withContainer { container, scratch in
            try scratch.write("dir/x", "x")
            try scratch.write("y", "y")
            let folder = try await cfsh("put dir \(container)/", in: scratch)
            #expect(folder.status == 1)
            #expect(folder.stderr == "-c:1: put: 'dir' is a folder; 'put -r' uploads folders\n")
            let several = try await cfsh("put y dir/x \(container)/name", in: scratch)
            #expect(several.status == 2)
            #expect(
                several.stderr == "-c:1: put: 2 files need a destination folder: end '\(container)/name' with '/'\n")
            let missing = try await cfsh("put nothing-here \(container)/", in: scratch)
            #expect(missing.status == 1)
            #expect(missing.stderr == "-c:1: put: no such file or folder 'nothing-here'\n")
            let root = try await cfsh("put y", in: scratch)
            #expect(root.status == 2)
            #expect(root.stderr.hasPrefix("-c:1: put: put needs a container"))
        }
    }

    @Test("ls lists one level with folders, everything with -r, details with -l and JSON with --json")
    func ls() async throws {
        try await withContainer { container, scratch in
            try scratch.write("f/a.txt", "aaaa")
            try scratch.write("f/sub/b.txt", "bb")
            try scratch.write("f/sub/deeper/c.txt", "c")
            let setup = try await cfsh("put -r f \(container)/", in: scratch)
            #expect(setup.status == 0, "\(setup)")
            let result = try await cfsh("ls \(container); ls \(container)/f/; ls \(container)/f; ls -r \(container)")
            #expect(result.status == 0, "\(result)")
            #expect(
                result.lines == [
                    "\(container)/f/",
                    "\(container)/f/a.txt", "\(container)/f/sub/",
                    "\(container)/f/a.txt", "\(container)/f/sub/",
                    "\(container)/f/a.txt", "\(container)/f/sub/b.txt", "\(container)/f/sub/deeper/c.txt",
                ])
            let long = try await cfsh("ls -l \(container)/f/")
            #expect(long.status == 0)
            let rows = long.lines
            try #require(rows.count == 2)
            #expect(
                rows[0].wholeMatch(of: /4  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  text\/plain  .*\/f\/a\.txt/) != nil,
                "\(rows)")
            #expect(rows[1] == "-  -                    -           \(container)/f/sub/", "\(rows)")
            let json = try await cfsh("ls --json \(container)/f/sub/b.txt")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 1)
            #expect(parsed?.first?["name"] as? String == "f/sub/b.txt")
            #expect(parsed?.first?["bytes"] as? Int == 2)
            #expect(parsed?.first?["hash"] as? String == "21ad0bd836b90d08f4cf640b4c298e7c")
        }
    }

    @Test("ls of containers with -l shows counts and bytes, right-aligned; -h gives human sizes")
    func lsContainersLong() async throws {
        try await withContainer { container, scratch in
            try scratch.write("big.bin", String(repeating: "x", count: 3000))
            _ = try await cfsh("put big.bin \(container)/", in: scratch)
            let result = try await cfsh("ls -l \(container)*; ls -lh \(container)")
            #expect(result.status == 0, "\(result)")
            #expect(result.lines.first == "1  3000  -  \(container)")
            #expect(result.lines.last?.hasPrefix("2.9K  ") == true)
        }
    }

    @Test("ls of something missing fails with the server's status and transaction id")
    func lsMissing() async throws {
        try await LocalServer.require()
        let name = LocalServer.uniqueContainer("missing")
        let result = try await cfsh("ls \(name)/")
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "-c:1: ls: no container '\(name)' (404 GET /v1/AUTH_test/\(name)) [X-Trans-Id: tx"))
    }

    @Test("cd and pwd move through containers and pseudo-folders; relative paths follow")
    func cdAndPwd() async throws {
        try await withContainer { container, scratch in
            try scratch.write("f/sub/x.txt", "x")
            _ = try await cfsh("put -r f \(container)/", in: scratch)
            let result = try await cfsh(
                "pwd; cd \(container); pwd; cd f/sub; pwd; ls; cd ..; pwd; ls; cd /; pwd; cd \(container)/f/sub/x.txt")
            #expect(
                result.lines == [
                    "/", "/\(container)", "/\(container)/f/sub/", "x.txt", "/\(container)/f/", "sub/", "/",
                ])
            #expect(result.status == 1)
            #expect(result.stderr == "-c:1: cd: '\(container)/f/sub/x.txt' is an object, not a folder\n")
            let missing = try await cfsh("cd \(container)/nope")
            #expect(missing.status == 1)
            #expect(
                missing.stderr
                    == "-c:1: cd: no pseudo-folder '\(container)/nope': no object in '\(container)' has a name starting with 'nope/'\n"
            )
        }
    }

    @Test("get downloads an object, a renamed object and a whole container, including what swiftclient uploaded")
    func get() async throws {
        try await withContainer { container, scratch in
            try scratch.write("src/one.txt", "one\n")
            try scratch.write("src/sub/two.txt", "two\n")
            _ = try await cfsh("put -r src \(container)/", in: scratch)
            // An object uploaded by python-swiftclient, downloaded by cfsh.
            try scratch.write("peer.txt", "from swiftclient\n")
            let upload = try await LocalServer.swiftclient(
                ["upload", container, "peer.txt", "--object-name", "peer/p.txt"], directory: scratch.path)
            #expect(upload.status == 0, "\(upload)")
            let result = try await cfsh(
                """
                get \(container)/src/one.txt out/
                get \(container)/src/one.txt out/renamed.txt
                get -r \(container) all/
                get -r \(container)/src/sub prefix/
                """, in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(scratch.read("out/one.txt") == "one\n")
            #expect(scratch.read("out/renamed.txt") == "one\n")
            #expect(scratch.read("all/\(container)/src/sub/two.txt") == "two\n")
            #expect(scratch.read("all/\(container)/peer/p.txt") == "from swiftclient\n")
            #expect(scratch.read("prefix/sub/two.txt") == "two\n")
            #expect(
                scratch.files().filter { $0.hasPrefix("all/") } == [
                    "all/\(container)/peer/p.txt", "all/\(container)/src/one.txt", "all/\(container)/src/sub/two.txt",
                ])
            let folder = try await cfsh("get \(container)/src/", in: scratch)
            #expect(folder.status == 1)
            #expect(
                folder.stderr
                    == "-c:1: get: '\(container)/src/' is a pseudo-folder; 'get -r' downloads everything in it\n")
        }
    }

    @Test("get never writes outside LOCAL: names with '..', '.', a leading '/' or '//' are refused")
    func getRefusesEscapingNames() async throws {
        try await withContainer("escape") { container, scratch in
            let client = CloudFilesClient(
                auth: .v1(authURL: URL(string: LocalServer.authURL)!, user: LocalServer.user, key: LocalServer.key))
            do {
                try await client.createContainer(container)
                try scratch.write("payload", "payload")
                for name in [
                    "../escape.txt", "a/../../escape2.txt", "/abs.txt", "ok//double.txt", "./dot.txt", "fine/ok.txt",
                ] {
                    try await client.uploadObject(name, in: container, fromFile: scratch.path + "/payload")
                }
                try FileManager.default.removeItem(atPath: scratch.path + "/payload")
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            try FileManager.default.createDirectory(atPath: scratch.path + "/target", withIntermediateDirectories: true)
            let result = try await cfsh(
                "get -r \(container) target/; get \(container)/../escape.txt single/", in: scratch)
            #expect(result.status == 1)
            #expect(scratch.files() == ["target/\(container)/fine/ok.txt"])
            for name in ["../escape.txt", "a/../../escape2.txt", "/abs.txt", "ok//double.txt", "./dot.txt"] {
                #expect(result.stderr.contains("get: refusing '\(container)/\(name)'"), "\(name): \(result.stderr)")
            }
            #expect(
                result.stderr.hasSuffix(
                    "-c:1: get: refused 5 objects whose names cannot be written safely below the target folder\n"))
            await HostileObjects.removeContainer(container)
        }
    }

    @Test("cat writes objects byte for byte; a glob writes each match")
    func cat() async throws {
        try await withContainer { container, scratch in
            try scratch.write("a.txt", "first\n")
            try scratch.write("b.txt", "second\nline\n")
            _ = try await cfsh("put a.txt b.txt \(container)/", in: scratch)
            let result = try await cfsh("cat \(container)/a.txt; cat \(container)/*.txt")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "first\nfirst\nsecond\nline\n")
            let missing = try await cfsh("cat \(container)/nope.txt")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("404"))
            #expect(missing.stderr.contains("X-Trans-Id: tx"))
        }
    }

    @Test("rm deletes objects, globs and folders; a glob matching nothing deletes nothing and fails")
    func rm() async throws {
        try await withContainer { container, scratch in
            for name in ["keep.txt", "a.tmp", "b.tmp", "logs/1.log", "logs/2.log", "logs/old/3.log"] {
                try scratch.write("src/" + name, name)
            }
            _ = try await cfsh(
                "lcd src; put -r logs \(container)/; put keep.txt a.tmp b.tmp \(container)/", in: scratch)
            #expect(try await LocalServer.objectNames(container).count == 6)
            let result = try await cfsh(
                "rm \(container)/*.tmp; -rm \(container)/*.none; rm -r \(container)/logs/old/; rm \(container)/logs/1.log"
            )
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr == "-c:1: rm: nothing matches '\(container)/*.none'\n")
            #expect(try await LocalServer.objectNames(container) == ["keep.txt", "logs/2.log"])
            let folder = try await cfsh("rm \(container)/logs")
            #expect(folder.status == 1)
            #expect(
                folder.stderr
                    == "-c:1: rm: '\(container)/logs' is a pseudo-folder; 'rm -r \(container)/logs' deletes everything in it\n"
            )
            let missing = try await cfsh("rm \(container)/gone.txt")
            #expect(missing.status == 1)
            // The HEAD that finds its kind (to delete a large object's segments too) finds it missing.
            #expect(
                missing.stderr.contains("(404 HEAD /v1/AUTH_test/\(container)/gone.txt) [X-Trans-Id: tx"), "\(missing)")
            let all = try await cfsh("rm -r \(container); ls \(container)")
            #expect(all.status == 0, "\(all)")
            #expect(all.stdout == "")
            #expect(try await LocalServer.objectNames(container) == [])
            #expect(try await LocalServer.containerExists(container))
        }
    }

    @Test("rmdir refuses a non-empty container with its object count, and --force empties and deletes it")
    func rmdir() async throws {
        try await withContainer { container, scratch in
            try scratch.write("x/1", "1")
            try scratch.write("x/2", "2")
            try scratch.write("x/3", "3")
            _ = try await cfsh("put x/* \(container)/", in: scratch)
            let refused = try await cfsh("rmdir \(container)")
            #expect(refused.status == 1)
            #expect(
                refused.stderr.hasPrefix(
                    "-c:1: rmdir: container '\(container)' is not empty: it holds 3 objects; 'rmdir --force \(container)' deletes them, then the container (409 DELETE /v1/AUTH_test/\(container)) [X-Trans-Id: tx"
                ))
            #expect(try await LocalServer.containerExists(container))
            let forced = try await cfsh("rmdir --force \(container)")
            #expect(forced.status == 0, "\(forced)")
            #expect(try await !LocalServer.containerExists(container))
            let none = try await cfsh("rmdir \(container)-nothing-*")
            #expect(none.status == 0)
            #expect(none.stderr == "rmdir: nothing matches '\(container)-nothing-*'; nothing deleted\n")
        }
    }

    @Test("stat shows the account, a container, a pseudo-folder and an object, as text or JSON")
    func stat() async throws {
        try await withContainer { container, scratch in
            try scratch.write("d/hello.txt", "hello\n")
            _ = try await cfsh("put -r d \(container)/", in: scratch)
            let result = try await cfsh("stat; stat \(container); stat \(container)/d/; stat \(container)/d/hello.txt")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Account:        AUTH_test\n"))
            #expect(result.stdout.contains("Container:       \(container)\nObjects:         1\nBytes:           6\n"))
            #expect(result.stdout.contains("Folder:   /\(container)/d/\nObjects:  1\nBytes:    6\n"))
            #expect(result.stdout.contains("ETag:           b1946ac92492d2347c6235b4d2611184\n"))
            #expect(result.stdout.contains("Size:           6\n"))
            let json = try await cfsh("stat --json \(container)/d/hello.txt")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(parsed?["etag"] as? String == "b1946ac92492d2347c6235b4d2611184")
            #expect(parsed?["content_type"] as? String == "text/plain")
            let missing = try await cfsh("stat \(container)/nope")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("404"))
        }
    }

    @Test("cp copies on the server and mv moves; swiftclient sees the result")
    func copyAndMove() async throws {
        try await withContainer { container, scratch in
            try scratch.write("a.txt", "A")
            try scratch.write("b.txt", "B")
            _ = try await cfsh("put a.txt b.txt \(container)/", in: scratch)
            let result = try await cfsh(
                "cp \(container)/a.txt \(container)/copy.txt; cp \(container)/*.txt \(container)/backup/; mv \(container)/b.txt \(container)/moved/"
            )
            #expect(result.status == 0, "\(result)")
            #expect(
                try await LocalServer.objectNames(container) == [
                    "a.txt", "backup/a.txt", "backup/b.txt", "backup/copy.txt", "copy.txt", "moved/b.txt",
                ])
            let body = try await LocalServer.swiftclient(["download", container, "moved/b.txt", "-o", "-"])
            #expect(body.stdout == "B")
            let same = try await cfsh("mv \(container)/a.txt \(container)/a.txt")
            #expect(same.status == 2)
        }
    }

    @Test("$(ls) and remote globs feed foreach in listing order")
    func loopsOverListings() async throws {
        try await withContainer { container, scratch in
            for name in ["c.sql", "a.sql", "b.txt"] { try scratch.write(name, name) }
            _ = try await cfsh("put *.sql b.txt \(container)/", in: scratch)
            let result = try await cfsh(
                """
                foreach f in \(container)/*.sql { echo glob $f }
                foreach f in $(ls \(container)) { if stat $f { echo ok $f } }
                cd \(container)
                foreach f in *.txt { cat $f; echo }
                """)
            #expect(result.status == 0, "\(result)")
            #expect(
                result.lines == [
                    "glob \(container)/a.sql", "glob \(container)/c.sql",
                    "ok \(container)/a.sql", "ok \(container)/b.txt", "ok \(container)/c.sql", "b.txt",
                ])
        }
    }

    @Test("connect takes v1.0 options, or a storage URL and token, and reports a bad key")
    func connect() async throws {
        try await LocalServer.require()
        let options = "connect --auth-url \(LocalServer.authURL) --user \(LocalServer.user) --key \(LocalServer.key)"
        let result = try await CFSHBinary.command("\(options); stat --json")
        #expect(result.status == 0, "\(result)")
        let account = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(account?["account"] as? String == "AUTH_test")
        let storageURL = try #require(account?["storage_url"] as? String)
        // A token from python-swiftclient, used as OS_AUTH_TOKEN and as --token.
        let auth = try await LocalServer.swiftclient(["auth"])
        let token = try #require(
            auth.lines.first { $0.contains("OS_AUTH_TOKEN=") }?.split(separator: "=").last.map(String.init))
        let viaEnvironment = try await CFSHBinary.command(
            "stat --json", environment: ["OS_STORAGE_URL": storageURL, "OS_AUTH_TOKEN": token])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment)")
        let viaOptions = try await CFSHBinary.command("connect --storage-url \(storageURL) --token \(token); ls")
        #expect(viaOptions.status == 0, "\(viaOptions)")
        let bad = try await CFSHBinary.command(
            "connect --auth-url \(LocalServer.authURL) --user \(LocalServer.user) --key wrong-key-123")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("-c:1: connect: "))
        #expect(bad.stderr.contains("401"))
        #expect(!bad.stderr.contains("wrong-key-123"))
    }

    @Test("--debug logs each request without the token or key")
    func debugLogging() async throws {
        try await LocalServer.require()
        let result = try await CFSHBinary.run(["--debug", "-c", "ls"], environment: LocalServer.environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("GET"))
        #expect(!result.stderr.contains(LocalServer.key))
        #expect(!result.stderr.contains("AUTH_tk"))
    }
}

/// Large files: put splits them into a static large object.
@Suite(.timeLimit(.minutes(5))) struct LargeObjectCommandE2ETests {
    @Test("a file over segment-size is stored as a static large object, read back whole and deleted with its segments")
    func segmentedUpload() async throws {
        try await withContainer("slo") { container, scratch in
            let bytes = (0..<(3 << 20) + 12345).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try Data(bytes).write(to: URL(fileURLWithPath: scratch.path + "/big.bin"))
            let result = try await cfsh(
                "set segment-size 1M; put big.bin \(container)/; get \(container)/big.bin back/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(FileManager.default.contents(atPath: scratch.path + "/back/big.bin") == Data(bytes))
            let manifest = try await LocalServer.swiftclient(["stat", container, "big.bin"])
            #expect(
                manifest.stdout.contains("Manifest:") || manifest.stdout.contains("X-Static-Large-Object: True"),
                "\(manifest)")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 4)
            let removed = try await cfsh("rm \(container)/big.bin")
            #expect(removed.status == 0, "\(removed)")
            #expect(try await LocalServer.objectNames(container + "_segments") == [])
            await LocalServer.removeContainer(container + "_segments")
        }
    }

    @Test("a plain file over a static large object takes its segments with it, unless --leave-segments")
    func plainReplacesLarge() async throws {
        try await withContainer("slo-plain") { container, scratch in
            let big = (0..<(2 << 20) + 7).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            try Data(big).write(to: URL(fileURLWithPath: scratch.path + "/big.bin"))
            try FileManager.default.createDirectory(atPath: scratch.path + "/small", withIntermediateDirectories: true)
            try Data("now small\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/small/big.bin"))
            try Data("b\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/small/b.txt"))
            let segments = container + "_segments"  // withContainer removes it too
            let large = "set segment-size 1M; put big.bin \(container)/small/big.bin"

            // Three large objects of 3 segments; other.bin's must survive everything below.
            var result = try await cfsh(
                "\(large); put big.bin \(container)/; put big.bin \(container)/other.bin", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(try await LocalServer.objectNames(segments).count == 9)
            // One file: a HEAD finds the large object.
            result = try await cfsh("put small/big.bin \(container)/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(
                try await LocalServer.swiftclient(["download", "-o", "-", container, "big.bin"]).stdout == "now small\n"
            )
            #expect(try await LocalServer.objectNames(segments, prefix: "big.bin/") == [])
            #expect(try await LocalServer.objectNames(segments).count == 6)
            // A folder: one listing finds it; --leave-segments keeps them.
            result = try await cfsh("put -r --leave-segments small \(container)/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(try await LocalServer.objectNames(segments).count == 6)
            result = try await cfsh("\(large); put -r small \(container)/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(
                try await LocalServer.swiftclient(["download", "-o", "-", container, "small/big.bin"]).stdout
                    == "now small\n")
            let left = try await LocalServer.objectNames(segments)
            #expect(left.count == 3 && left.allSatisfy { $0.hasPrefix("other.bin/") }, "\(left)")
        }
    }
}
