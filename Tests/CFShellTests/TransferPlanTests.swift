import CloudFiles
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// `put`'s plan, from plain values: no server, no files.
@Suite struct PutPlanTests {
    typealias Target = PutPlan.Target
    typealias Source = PutPlan.LocalSource

    static let working = RemotePath(container: "c", name: "dir/")

    static func split(_ words: [String], from base: RemotePath = working) throws(ShellError) -> ([String], Target) {
        let (sources, target) = try Target.split(words.map { Argument($0) }, from: base)
        return (sources.map(\.text), target)
    }

    static func file(_ shown: String, at absolute: String? = nil) -> Source {
        Source(shown: shown, absolute: absolute ?? "/home/u/" + shown)
    }

    static func folder(_ shown: String, at absolute: String? = nil, files: [String]) -> Source {
        Source(shown: shown, absolute: absolute ?? "/home/u/" + shown, files: files)
    }

    static func usage(_ message: String) -> ShellError { .usage(message) }

    // MARK: the target

    @Test("one operand goes to the remote working folder, under its own name")
    func oneOperand() throws {
        let (sources, target) = try Self.split(["a.txt"])
        #expect(sources == ["a.txt"])
        #expect(target == Target(container: "c", name: "dir/", text: "", isFolder: true))
    }

    @Test("with no container to go to, one operand is refused")
    func noContainer() {
        #expect(
            throws: Self.usage(
                "put needs a container: give a REMOTE such as 'backups/' as the last operand, or 'cd' into one"
            )
        ) { try Self.split(["a.txt"], from: .root) }
        #expect(throws: ShellError.self) { try Self.split(["a.txt", "/"], from: Self.working) }
    }

    @Test(
        "the last of several operands is the target: a trailing '/' or a container is a folder, anything else one object",
        arguments: [
            ("/backups/", Target(container: "backups", name: "", text: "/backups/", isFolder: true)),
            ("/backups", Target(container: "backups", name: "", text: "/backups", isFolder: true)),
            ("/c/x/y/", Target(container: "c", name: "x/y/", text: "/c/x/y/", isFolder: true)),
            ("sub/", Target(container: "c", name: "dir/sub/", text: "sub/", isFolder: true)),
            ("obj", Target(container: "c", name: "dir/obj", text: "obj", isFolder: false)),
            ("../up", Target(container: "c", name: "up", text: "../up", isFolder: false)),
            (".", Target(container: "c", name: "dir/", text: ".", isFolder: true)),
            ("a//b", Target(container: "c", name: "dir/a//b", text: "a//b", isFolder: false)),
        ])
    func target(written: String, expected: Target) throws {
        let (sources, target) = try Self.split(["one", written])
        #expect(sources == ["one"])
        #expect(target == expected)
        #expect(try Self.split(["one", "two", written]) == (["one", "two"], expected))
    }

    @Test("an exact object whose name ends in '/' (a directory marker) is an object target, not a folder")
    func exactMarker() throws {
        let marker = ExactPath(path: RemotePath(container: "c", name: "m/"), isObject: true)
        let (_, target) = try Target.split([Argument("f"), Argument("m/", exact: marker)], from: .root)
        #expect(target == Target(container: "c", name: "m/", text: "m/", isFolder: false))
        let folder = ExactPath(path: RemotePath(container: "c", name: "m/"), isObject: false)
        #expect(try Target.split([Argument("f"), Argument("m/", exact: folder)], from: .root).target.isFolder)
    }

    @Test("the target cannot be a pattern, and an argument's refusal stands")
    func targetRefusals() {
        let pattern = Argument("b*/", pattern: GlobPattern("b*/"))
        #expect(throws: Self.usage("the destination 'b*/' cannot be a pattern")) {
            try Target.split([Argument("a"), pattern], from: Self.working)
        }
        var refused = Argument("x/../y")
        refused.refusal = .failure("joined name")
        #expect(throws: ShellError.failure("joined name")) {
            try Target.split([Argument("a"), refused], from: Self.working)
        }
    }

    // MARK: files to objects

    @Test("into a folder each file keeps its base name; to an object it takes the object's name")
    func files() throws {
        let folder = Target(container: "c", name: "in/", text: "in/", isFolder: true)
        let into = try PutPlan(
            target: folder, sources: [Self.file("a.txt"), Self.file("../b.bin", at: "/home/b.bin")], recursive: false)
        #expect(
            into.items == [
                PutPlan.Item(local: "/home/u/a.txt", name: "in/a.txt", label: "a.txt"),
                PutPlan.Item(local: "/home/b.bin", name: "in/b.bin", label: "../b.bin"),
            ])
        let object = Target(container: "c", name: "renamed", text: "renamed", isFolder: false)
        let to = try PutPlan(target: object, sources: [Self.file("a.txt")], recursive: false)
        #expect(to.items == [PutPlan.Item(local: "/home/u/a.txt", name: "renamed", label: "a.txt")])
        let container = Target(container: "c", name: "", text: "c/", isFolder: true)
        #expect(
            try PutPlan(target: container, sources: [Self.file("a.txt")], recursive: false).items.map(\.name) == [
                "a.txt"
            ])
    }

    @Test("several files need a folder target; the count is of files, folders' included")
    func severalToOne() {
        let object = Target(container: "c", name: "obj", text: "c/obj", isFolder: false)
        #expect(throws: Self.usage("2 files need a destination folder: end 'c/obj' with '/'")) {
            try PutPlan(target: object, sources: [Self.file("a"), Self.file("b")], recursive: false)
        }
        #expect(throws: Self.usage("3 files need a destination folder: end 'c/obj' with '/'")) {
            try PutPlan(target: object, sources: [Self.file("a"), Self.file("b"), Self.file("c")], recursive: true)
        }
    }

    @Test("a folder needs -r, and a folder target; the first refused operand is the one reported")
    func folderRefusals() {
        let folder = Target(container: "c", name: "", text: "c/", isFolder: true)
        let object = Target(container: "c", name: "obj", text: "c/obj", isFolder: false)
        let tree = Self.folder("tree", files: ["x"])
        #expect(throws: ShellError.failure("'tree' is a folder; 'put -r' uploads folders")) {
            try PutPlan(target: folder, sources: [Self.file("a"), tree], recursive: false)
        }
        #expect(throws: Self.usage("a folder goes into a pseudo-folder or a container: end 'c/obj' with '/'")) {
            try PutPlan(target: object, sources: [tree], recursive: true)
        }
        // An empty folder is still a folder.
        #expect(throws: Self.usage("a folder goes into a pseudo-folder or a container: end 'c/obj' with '/'")) {
            try PutPlan(target: object, sources: [Self.folder("empty", files: [])], recursive: true)
        }
        // The runner asks the same question before walking a folder.
        #expect(throws: ShellError.failure("'tree' is a folder; 'put -r' uploads folders")) {
            try object.admitFolder("tree", recursive: false)
        }
        #expect(throws: Never.self) { try folder.admitFolder("tree", recursive: true) }
    }

    @Test("put -r sends a folder's files under the folder's name, labelled as the folder was written")
    func recursive() throws {
        let target = Target(container: "c", name: "in/", text: "in/", isFolder: true)
        let plan = try PutPlan(
            target: target,
            sources: [
                Self.folder("tree/", at: "/home/u/tree", files: ["a", "sub/b"]),
                Self.file("loose"),
                Self.folder("../other", at: "/home/other", files: ["c d"]),
                Self.folder("empty", files: []),
            ],
            recursive: true)
        #expect(
            plan.items == [
                PutPlan.Item(local: "/home/u/tree/a", name: "in/tree/a", label: "tree/a"),
                PutPlan.Item(local: "/home/u/tree/sub/b", name: "in/tree/sub/b", label: "tree/sub/b"),
                PutPlan.Item(local: "/home/u/loose", name: "in/loose", label: "loose"),
                PutPlan.Item(local: "/home/other/c d", name: "in/other/c d", label: "../other/c d"),
            ])
    }

    @Test("local names reach the server byte for byte: marks, '..' lookalikes, spaces")
    func names() throws {
        let target = Target(container: "c", name: "", text: "", isFolder: true)
        let names = ["..\u{301}", "e\u{301}t\u{E9}", "a b", "-rf", ".hidden"]
        let plan = try PutPlan(target: target, sources: names.map { Self.file($0) }, recursive: false)
        #expect(plan.items.map(\.name) == names)
        // The file system root uploaded recursively: its base name is '/'.
        let root = try PutPlan(target: target, sources: [Self.folder("/", at: "/", files: ["etc/x"])], recursive: true)
        #expect(root.items.map(\.name) == ["//etc/x"])
        #expect(root.items.map(\.label) == ["/etc/x"])
    }

    // MARK: how each file goes up

    static let limits = UploadLimits(maxFileSize: 5 << 30, hasStaticLargeObjects: true, maxSegments: 1000)

    @Test(
        "a file goes in segments when it is larger than the segment size asked for, or than max_file_size",
        arguments: [
            // (size, asked, expected segment size)
            (Int64(100) << 20, Int64(100) << 20, nil),
            ((100 << 20) + 1, 100 << 20, 100 << 20),
            (0, 1 << 20, nil),
            (5 << 30, nil, nil),
            ((5 << 30) + 1, nil, 1 << 30),
            ((5 << 30) + 1, 64 << 20, 64 << 20),
            (6 << 30, 8 << 30, 1 << 30),
        ] as [(Int64, Int64?, Int64?)])
    func segmentation(size: Int64, asked: Int64?, expected: Int64?) {
        #expect(Self.limits.segmentSize(for: size, asked: asked) == expected)
        let method = Self.limits.method(for: size, asked: asked)
        #expect(method == (expected.map { .segmented(segmentSize: $0, manifest: .static) } ?? .whole))
    }

    @Test("past a small max_file_size, segments are that size; without SLO the manifest is dynamic")
    func clusterLimits() {
        let small = UploadLimits(maxFileSize: 100 << 20, hasStaticLargeObjects: false, maxSegments: 10)
        #expect(
            small.method(for: (100 << 20) + 1, asked: nil) == .segmented(segmentSize: 100 << 20, manifest: .dynamic))
        #expect(small.method(for: 100 << 20, asked: nil) == .whole)
        #expect(small.method(for: 2 << 20, asked: 1 << 20) == .segmented(segmentSize: 1 << 20, manifest: .dynamic))
    }

    @Test("uploads pair each item with its size, in order, and decide each one apart")
    func uploads() throws {
        let target = Target(container: "c", name: "", text: "", isFolder: true)
        let plan = try PutPlan(target: target, sources: [Self.file("small"), Self.file("big")], recursive: false)
        let uploads = plan.uploads(sizes: [10, 3 << 20], limits: Self.limits, segmentSize: 1 << 20)
        #expect(uploads.map(\.item.name) == ["small", "big"])
        #expect(uploads.map(\.size) == [10, 3 << 20])
        #expect(uploads.map(\.method) == [.whole, .segmented(segmentSize: 1 << 20, manifest: .static)])
    }

    @Test("what is there is read for --skip-identical, or to replace large objects in a non-empty container")
    func readsExisting() {
        var flags = TransferFlags(parallel: 4, segmentSize: nil)
        #expect(PutPlan.readsExisting(flags, objectsThere: 1))
        #expect(!PutPlan.readsExisting(flags, objectsThere: 0))
        flags.leaveSegments = true
        #expect(!PutPlan.readsExisting(flags, objectsThere: 1))
        flags.skipIdentical = true
        #expect(PutPlan.readsExisting(flags, objectsThere: 0))
    }

    @Test(
        "a whole file replaces a large object (an SLO, or a zero-byte object that may be a DLO) unless --leave-segments"
    )
    func replacesLargeObject() {
        let slo = ObjectRecord(name: "o", bytes: 10, hash: "h", contentType: "x", staticLargeObjectETag: "e")
        let empty = ObjectRecord(name: "o", bytes: 0, hash: "h", contentType: "x")
        let marker = ObjectRecord(name: "o", bytes: 0, hash: "h", contentType: "application/directory")
        let plain = ObjectRecord(name: "o", bytes: 10, hash: "h", contentType: "x")
        #expect(PutPlan.replacesLargeObject(slo, leaveSegments: false))
        #expect(PutPlan.replacesLargeObject(empty, leaveSegments: false))
        #expect(!PutPlan.replacesLargeObject(marker, leaveSegments: false))
        #expect(!PutPlan.replacesLargeObject(plain, leaveSegments: false))
        #expect(!PutPlan.replacesLargeObject(nil, leaveSegments: false))
        #expect(!PutPlan.replacesLargeObject(slo, leaveSegments: true))
    }

    @Test(
        "one listing sees every name: their longest common prefix",
        arguments: [
            ([], nil),
            (["in/a"], "in/a"),
            (["in/a", "in/b"], "in/"),
            (["in/tree/a", "in/tree/sub/b", "in/tree/c"], "in/tree/"),
            (["a", "b"], nil),
        ] as [([String], String?)])
    func listingPrefix(names: [String], expected: String?) {
        #expect(PutPlan.listingPrefix(of: names) == expected)
    }
}

/// `get`'s plan, from plain values: what the operands named and what listings returned.
@Suite struct GetPlanTests {
    typealias Target = GetPlan.Target

    static let working = RemotePath(container: "c", name: "dir/")

    static func record(_ name: String, bytes: Int64 = 5, type: String = "text/plain") -> ObjectRecord {
        ObjectRecord(name: name, bytes: bytes, hash: "h", contentType: type)
    }

    static func plan(into text: String? = "/t/", existingFolder: Bool = false) -> GetPlan {
        GetPlan(
            target: Target(
                text: text, path: text.map { "/home/u/" + $0 } ?? "/home/u", isExistingFolder: existingFolder),
            remoteDirectory: working)
    }

    static func plan(_ target: Target) -> GetPlan { GetPlan(target: target, remoteDirectory: working) }

    /// A plan from what `get -r` would find: each path with its listing when it is a folder.
    static func recursive(
        _ target: Target, _ sources: [(RemotePath, [ObjectRecord])]
    ) throws(ShellError) -> GetPlan {
        var plan = plan(target)
        for (path, listing) in sources {
            guard
                let folder = try plan.add(
                    path, display: path.display(relativeTo: working), record: nil, recursive: true)
            else { continue }
            for record in listing { plan.add(record, in: folder) }
        }
        return plan
    }

    static let into = Target(text: "out/", path: "/home/u/out/", isExistingFolder: false)

    // MARK: the target

    @Test("the last of several operands is LOCAL; it cannot be a pattern")
    func split() throws {
        let one = try Target.split([Argument("a")])
        #expect(one.sources.map(\.text) == ["a"] && one.text == nil)
        let two = try Target.split([Argument("a"), Argument("b"), Argument("out")])
        #expect(two.sources.map(\.text) == ["a", "b"] && two.text == "out")
        #expect(throws: ShellError.usage("the destination 'o*' cannot be a pattern")) {
            try Target.split([Argument("a"), Argument("o*", pattern: GlobPattern("o*"))])
        }
    }

    @Test(
        "LOCAL is a folder when absent, written with '/', or an existing folder; otherwise a file name",
        arguments: [
            (nil, "/w", false, true, "/w"),
            ("out/", "/w/out/", false, true, "/w/out"),
            ("out", "/w/out", true, true, "/w/out"),
            ("out", "/w/out", false, false, "/w/out"),
            ("/", "/", false, true, ""),
        ] as [(String?, String, Bool, Bool, String)])
    func target(text: String?, path: String, existing: Bool, isFolder: Bool, folder: String) {
        let target = Target(text: text, path: path, isExistingFolder: existing)
        #expect(target.isFolder == isFolder)
        #expect(target.folder == folder)
    }

    // MARK: objects named by operands

    @Test("an object goes below a folder target under its last name component")
    func objectIntoFolder() throws {
        var plan = Self.plan(into: "out/")
        let record = Self.record("a/b/c.txt")
        #expect(
            try plan.add(
                RemotePath(container: "c", name: "a/b/c.txt"), display: "a/b/c.txt", record: record, recursive: false)
                == nil)
        let local = try SafeLocalPath(folder: "/home/u/out", relative: "c.txt")
        #expect(
            plan.items == [
                GetPlan.Item(
                    local: "/home/u/out/c.txt", container: "c", name: "a/b/c.txt", label: "a/b/c.txt", record: record,
                    target: local)
            ])
        #expect(plan.refused.isEmpty)
    }

    @Test("an object to a file target is written there, its folders the user's to name")
    func objectToFile() throws {
        var plan = Self.plan(into: "new/name.txt")
        _ = try plan.add(RemotePath(container: "c", name: "x"), display: "x", record: nil, recursive: true)
        #expect(plan.items == [GetPlan.Item(local: "/home/u/new/name.txt", container: "c", name: "x", label: "x")])
        try plan.checkTarget()
    }

    @Test("several objects need a folder target; refused ones do not count")
    func severalToOne() throws {
        var plan = Self.plan(into: "file")
        _ = try plan.add(RemotePath(container: "c", name: "a"), display: "a", record: nil, recursive: false)
        try plan.checkTarget()
        _ = try plan.add(RemotePath(container: "c", name: "b"), display: "b", record: nil, recursive: false)
        #expect(throws: ShellError.usage("2 objects need a local folder: end 'file' with '/'")) {
            try plan.checkTarget()
        }
        var folder = Self.plan(into: "dir/")
        _ = try folder.add(RemotePath(container: "c", name: "a"), display: "a", record: nil, recursive: false)
        _ = try folder.add(RemotePath(container: "c", name: "x/.."), display: "x/..", record: nil, recursive: false)
        try folder.checkTarget()
    }

    @Test(
        "an object whose last component cannot be a file name below the folder is refused, not written",
        arguments: [
            ("..", "it has a '..' component"),
            ("a/..", "it has a '..' component"),
            ("a/.", "it has a '.' component"),
            ("a\0b", "it contains a NUL byte"),
            (String(repeating: "n", count: 256), "a component is 256 bytes long, more than a file name can be (255)"),
        ])
    func hostileObject(name: String, reason: String) throws {
        var plan = Self.plan(into: "out/")
        #expect(
            try plan.add(RemotePath(container: "c", name: name), display: name, record: nil, recursive: false) == nil)
        #expect(plan.items.isEmpty)
        #expect(plan.refused == [GetPlan.Refusal(shown: name, reason: reason)])
    }

    @Test("the account root is refused before anything is asked; a folder needs -r")
    func refusals() throws {
        let root = ShellError.usage("get needs a container, a pseudo-folder or an object, not the account root")
        #expect(throws: root) { try GetPlan.needsObjectCheck(.root, listed: false, recursive: true) }
        var plan = Self.plan()
        #expect(throws: root) { try plan.add(.root, display: "/", record: nil, recursive: true) }
        #expect(throws: ShellError.failure("'sub/' is a pseudo-folder; 'get -r' downloads everything in it")) {
            try plan.add(RemotePath(container: "c", name: "dir/sub/"), display: "sub/", record: nil, recursive: false)
        }
        #expect(throws: ShellError.failure("'/c' is a container; 'get -r' downloads everything in it")) {
            try plan.add(RemotePath(container: "c"), display: "/c", record: nil, recursive: false)
        }
        // A glob's match that is a directory marker (an object named 'm/') is a folder too.
        #expect(throws: ShellError.failure("'m/' is a pseudo-folder; 'get -r' downloads everything in it")) {
            try plan.add(
                RemotePath(container: "c", name: "m/"), display: "m/", record: Self.record("m/"), recursive: false)
        }
        #expect(plan.items.isEmpty && plan.refused.isEmpty)
    }

    @Test(
        "with -r, a name no listing gave as an object is asked about: it may be a folder without its '/'",
        arguments: [
            ("x", false, true, true),
            ("x", true, true, false),
            ("x", false, false, false),
            ("x/", false, true, false),
            ("", false, true, false),
        ])
    func objectCheck(name: String, listed: Bool, recursive: Bool, asks: Bool) throws {
        #expect(
            try GetPlan.needsObjectCheck(RemotePath(container: "c", name: name), listed: listed, recursive: recursive)
                == asks)
    }

    // MARK: folders with -r

    @Test("get -r puts a pseudo-folder's objects below a folder of its own name; markers become folders")
    func pseudoFolder() throws {
        let plan = try Self.recursive(
            Self.into,
            [
                (
                    RemotePath(container: "c", name: "dir/sub/"),
                    [
                        Self.record("dir/sub/", bytes: 0, type: "application/directory"),  // the prefix's own marker
                        Self.record("dir/sub/a.txt"),
                        Self.record("dir/sub/deep/b.txt"),
                        Self.record("dir/sub/empty", bytes: 0, type: "application/directory; charset=utf-8"),
                        Self.record("dir/sub/full", bytes: 3, type: "application/directory"),
                        Self.record("dir/sub/slash/", bytes: 7),
                    ]
                )
            ])
        #expect(
            plan.items.map(\.local) == [
                "/home/u/out/sub/a.txt", "/home/u/out/sub/deep/b.txt", "/home/u/out/sub/empty", "/home/u/out/sub/full",
                "/home/u/out/sub/slash",
            ])
        #expect(plan.items.map(\.isFolder) == [false, false, true, false, true])
        #expect(plan.items.map(\.label) == ["sub/a.txt", "sub/deep/b.txt", "sub/empty", "sub/full", "sub/slash/"])
        #expect(plan.items.allSatisfy { $0.target?.path == $0.local && $0.record != nil && $0.container == "c" })
        #expect(plan.refused.isEmpty)
    }

    @Test("get -r of a container puts it below a folder of the container's name; names elsewhere show absolute")
    func container() throws {
        let plan = try Self.recursive(
            Self.into, [(RemotePath(container: "other"), [Self.record("a"), Self.record("b/c")])])
        #expect(plan.items.map(\.local) == ["/home/u/out/other/a", "/home/u/out/other/b/c"])
        #expect(plan.items.map(\.label) == ["/other/a", "/other/b/c"])
        #expect(plan.items.map(\.name) == ["a", "b/c"])
    }

    @Test("a listing's records outside the prefix are not taken")
    func outsidePrefix() throws {
        var plan = Self.plan(Self.into)
        let folder = try #require(
            try plan.add(RemotePath(container: "c", name: "p/"), display: "p/", record: nil, recursive: true))
        #expect(folder == GetPlan.Folder(container: "c", prefix: "p/", root: "p"))
        plan.add(Self.record("q/x"), in: folder)
        plan.add(Self.record("p"), in: folder)
        #expect(plan.items.isEmpty && plan.refused.isEmpty)
    }

    @Test(
        "names from the server that would leave the target folder or lose a component are refused, the rest still taken",
        arguments: [
            ("dir/sub/../x", "it has a '..' component"),
            ("dir/sub/a/../../x", "it has a '..' component"),
            ("dir/sub//b", "it has an empty component (a leading '/' or '//')"),
            ("dir/sub/a//b", "it has an empty component (a leading '/' or '//')"),
            ("dir/sub/./a", "it has a '.' component"),
            ("dir/sub/..", "it has a '..' component"),
            ("dir/sub/a\0b", "it contains a NUL byte"),
        ])
    func hostileListing(name: String, reason: String) throws {
        let plan = try Self.recursive(
            Self.into, [(RemotePath(container: "c", name: "dir/sub/"), [Self.record(name), Self.record("dir/sub/ok")])])
        #expect(plan.items.map(\.local) == ["/home/u/out/sub/ok"])
        let shown = RemotePath(container: "c", name: name).display(relativeTo: Self.working)
        #expect(plan.refused == [GetPlan.Refusal(shown: shown, reason: reason)])
    }

    @Test("a pseudo-folder named '..' (a glob can match one) refuses everything in it")
    func hostileFolder() throws {
        let plan = try Self.recursive(
            Self.into, [(RemotePath(container: "c", name: "../"), [Self.record("../x"), Self.record("../y/z")])])
        #expect(plan.items.isEmpty)
        #expect(plan.refused.map(\.reason) == ["it has a '..' component", "it has a '..' component"])
        #expect(plan.refused.map(\.shown) == ["/c/../x", "/c/../y/z"])
    }

    @Test("names that only look hostile are written as they are: marks after '..' and '/'")
    func lookalikes() throws {
        let plan = try Self.recursive(
            Self.into,
            [(RemotePath(container: "c", name: "d/"), [Self.record("d/..\u{301}"), Self.record("d/x/\u{20DD}y")])])
        #expect(plan.items.map(\.local) == ["/home/u/out/d/..\u{301}", "/home/u/out/d/x/\u{20DD}y"])
        #expect(plan.refused.isEmpty)
    }

    @Test("objects and folders keep the operands' order, into the target folder '/' too")
    func order() throws {
        var plan = Self.plan(Target(text: "/", path: "/", isExistingFolder: true))
        _ = try plan.add(RemotePath(container: "c", name: "one"), display: "one", record: nil, recursive: true)
        if let folder = try plan.add(
            RemotePath(container: "c", name: "f/"), display: "f/", record: nil, recursive: true)
        {
            plan.add(Self.record("f/two"), in: folder)
        }
        _ = try plan.add(RemotePath(container: "c", name: "three"), display: "three", record: nil, recursive: true)
        #expect(plan.items.map(\.local) == ["/one", "/f/two", "/three"])
    }

    // MARK: what get reports

    @Test("the progress total is known only when every object's size is")
    func totalBytes() throws {
        var plan = Self.plan()
        #expect(plan.totalBytes == 0)
        _ = try plan.add(
            RemotePath(container: "c", name: "a"), display: "a", record: Self.record("a", bytes: 3), recursive: false)
        _ = try plan.add(
            RemotePath(container: "c", name: "b"), display: "b", record: Self.record("b", bytes: 4), recursive: false)
        #expect(plan.totalBytes == 7)
        _ = try plan.add(RemotePath(container: "c", name: "c"), display: "c", record: nil, recursive: false)
        #expect(plan.totalBytes == nil)
        var huge = Self.plan()
        for name in ["a", "b"] {
            _ = try huge.add(
                RemotePath(container: "c", name: name), display: name, record: Self.record(name, bytes: .max),
                recursive: false)
        }
        #expect(huge.totalBytes == nil)
    }

    @Test("each refusal is one escaped line, and the command fails with their count")
    func refusalReport() throws {
        var plan = Self.plan()
        #expect(plan.refusalLines.isEmpty && plan.refusalError == nil)
        _ = try plan.add(RemotePath(container: "c", name: "x\n/.."), display: "x\n/..", record: nil, recursive: false)
        #expect(
            plan.refusalLines == [
                "get: refusing \(Names.quoted("x\n/..")): it has a '..' component; nothing was written for it"
            ])
        #expect(!plan.refusalLines[0].contains("\n"))
        #expect(
            plan.refusalError
                == .failure(
                    "refused 1 object whose name cannot be written safely below the target folder"))
        _ = try plan.add(RemotePath(container: "c", name: "a/.."), display: "a/..", record: nil, recursive: false)
        #expect(
            plan.refusalError
                == .failure(
                    "refused 2 objects whose names cannot be written safely below the target folder"))
    }
}

// MARK: issue 13: folders whatever the count, rsync's trailing '/', names as bytes

extension PutPlanTests {
    @Test("put -r data/ sends the folder's contents, without its name, as rsync does; data sends the folder")
    func contentsOnly() throws {
        let target = Target(container: "c", name: "x/", text: "x/", isFolder: true)
        var contents = Self.folder("data/", at: "/home/u/data", files: [".env", "a b.txt", "sub/c"])
        contents.contentsOnly = true
        let plan = try PutPlan(target: target, sources: [contents, Self.folder("data", files: ["a"])], recursive: true)
        #expect(
            plan.items == [
                PutPlan.Item(local: "/home/u/data/.env", name: "x/.env", label: "data/.env"),
                PutPlan.Item(local: "/home/u/data/a b.txt", name: "x/a b.txt", label: "data/a b.txt"),
                PutPlan.Item(local: "/home/u/data/sub/c", name: "x/sub/c", label: "data/sub/c"),
                PutPlan.Item(local: "/home/u/data/a", name: "x/data/a", label: "data/a"),
            ])
    }

    @Test("the listing prefix is cut by Unicode scalars: a name in the other normalisation form is still listed")
    func listingPrefixNormalisation() {
        let nfc = "in/caf\u{E9}.txt"
        let nfd = "in/cafe\u{301}.txt"
        let prefix = PutPlan.listingPrefix(of: [nfc, nfd])
        #expect(prefix.map { Array($0.utf8) } == Array("in/caf".utf8))
        #expect(nfd.utf8.starts(with: prefix?.utf8 ?? "".utf8) && nfc.utf8.starts(with: prefix?.utf8 ?? "".utf8))
    }

    @Test("names that differ only in normalisation are two keys")
    func exactNames() {
        let keys: Set = [ExactName("caf\u{E9}"), ExactName("cafe\u{301}")]
        #expect(keys.count == 2)
        #expect(Set(["caf\u{E9}", "cafe\u{301}"]).count == 1)  // what a String key did
    }
}

extension GetPlanTests {
    @Test("with -r or a glob, LOCAL is a folder whatever the count: a missing 'out' is never a file")
    func folderByForm() throws {
        let byForm = Target(text: "out", path: "/home/u/out", isExistingFolder: false, isFolderByForm: true)
        #expect(byForm.isFolder && byForm.folder == "/home/u/out")
        for count in [1, 4] {
            let records = (1...count).map { Self.record("o\($0)") }
            let plan = try Self.recursive(byForm, [(RemotePath(container: "box"), records)])
            try plan.checkTarget()
            #expect(plan.items.map(\.local) == (1...count).map { "/home/u/out/box/o\($0)" })
            #expect(plan.folders.map(\.path) == ["/home/u/out/box"])
        }
        var glob = Self.plan(byForm)
        _ = try glob.add(
            RemotePath(container: "c", name: "dir/one.sql"), display: "one.sql", record: Self.record("dir/one.sql"),
            recursive: false)
        try glob.checkTarget()
        #expect(glob.items.map(\.local) == ["/home/u/out/one.sql"])
        let empty = try Self.recursive(byForm, [(RemotePath(container: "box"), [])])
        #expect(empty.items.isEmpty && empty.folders.map(\.path) == ["/home/u/out/box"])
    }

    @Test(
        "two objects that would land on one local path: the first is written, the later ones refused; one object named twice is one item"
    )
    func collisions() throws {
        var plan = Self.plan(Self.into)
        for name in ["a/x.sql", "b/x.sql", "a/x.sql", "c/y.sql"] {
            _ = try plan.add(
                RemotePath(container: "c", name: name), display: name, record: Self.record(name), recursive: false)
        }
        plan.refuseCollisions()
        #expect(plan.items.map(\.name) == ["a/x.sql", "c/y.sql"])
        #expect(plan.items.map(\.local) == ["/home/u/out/x.sql", "/home/u/out/y.sql"])
        #expect(plan.refused.map(\.shown) == ["b/x.sql"])
        #expect(plan.refused.first?.reason.contains("'a/x.sql' is written to the same local path") == true)
        // The same name in two containers is two objects.
        var two = Self.plan(Self.into)
        for container in ["c1", "c2"] {
            _ = try two.add(
                RemotePath(container: container, name: "x"), display: container + "/x", record: Self.record("x"),
                recursive: false)
        }
        two.refuseCollisions()
        #expect(two.items.map(\.container) == ["c1"] && two.refused.map(\.shown) == ["c2/x"])
        // Names that differ only in normalisation are different paths, as bytes.
        var forms = Self.plan(Self.into)
        for name in ["caf\u{E9}", "cafe\u{301}"] {
            _ = try forms.add(
                RemotePath(container: "c", name: name), display: name, record: Self.record(name), recursive: false)
        }
        forms.refuseCollisions()
        #expect(forms.items.count == 2 && forms.refused.isEmpty)
    }

    @Test("get -r c/prefix/ and c/ (written with '/') put the contents straight into LOCAL, as rsync does")
    func contentsOnly() throws {
        for (path, records, expected) in [
            (RemotePath(container: "c", name: "p/"), ["p/a", "p/s/b"], ["/home/u/out/a", "/home/u/out/s/b"]),
            (RemotePath(container: "c"), ["a", "s/b"], ["/home/u/out/a", "/home/u/out/s/b"]),
        ] {
            var plan = Self.plan(Self.into)
            let folder = try #require(
                try plan.add(path, display: "x", record: nil, recursive: true, contentsOnly: true))
            #expect(folder.root == nil)
            for name in records { plan.add(Self.record(name), in: folder) }
            #expect(plan.items.map(\.local) == expected)
            #expect(plan.folders.isEmpty && plan.refused.isEmpty)
        }
    }
}
