import CFSHTestSupport
import Foundation
import Testing

/// Other tools' habits through the built binary against the local Swift: options that mean one
/// thing are accepted, other tools' command names are answered by meaning, and shell operators
/// are refused before anything runs.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HabitsE2ETests {
    /// `c/top.txt`, `c/dir/a.txt` and `c/dir/deep/b.txt`, uploaded with python-swiftclient.
    static func fill(_ container: String, _ scratch: TemporaryFolder) async throws {
        try scratch.write("up/top.txt", "top\n")
        try scratch.write("up/dir/a.txt", "a\n")
        try scratch.write("up/dir/deep/b.txt", "b\n")
        for name in ["top.txt", "dir/a.txt", "dir/deep/b.txt"] {
            let upload = try await LocalServer.swiftclient(["upload", container, name], directory: scratch.file("up"))
            #expect(upload.status == 0, "\(upload)")
        }
    }

    @Test("-R is -r for ls, get and rm, clusters such as -lR are each flag, and mkdir -p creates the container")
    func optionsThatMeanOneThing() async throws {
        try await withContainer("habit") { container, scratch in
            try await Self.fill(container, scratch)
            let listed = try await cfsh("ls -R \(container)")
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.lines == ["\(container)/dir/a.txt", "\(container)/dir/deep/b.txt", "\(container)/top.txt"])
            let long = try await cfsh("ls -lR \(container)/dir/")
            #expect(long.status == 0, "\(long)")
            #expect(long.lines.count == 2 && long.lines[1].hasSuffix("dir/deep/b.txt"), "\(long)")

            let out = scratch.file("out")
            let got = try await cfsh("get -R \(container)/dir/ out/", in: scratch)
            #expect(got.status == 0, "\(got)")
            // Wherever `get -r` puts the folder itself, both objects arrive with their contents.
            let files = TemporaryFolder.files(below: out)
            #expect(files.filter { $0.hasSuffix("a.txt") || $0.hasSuffix("deep/b.txt") }.count == 2, "\(files)")
            if let b = files.first(where: { $0.hasSuffix("deep/b.txt") }) {
                #expect(try String(contentsOfFile: out + "/" + b, encoding: .utf8) == "b\n")
            }

            let removed = try await cfsh("rm -R \(container)/dir/")
            #expect(removed.status == 0, "\(removed)")
            #expect(try await LocalServer.objectNames(container) == ["top.txt"])

            let made = container + "-p"
            let mkdir = try await cfsh("mkdir -p \(made); mkdir -p \(made)")
            #expect(mkdir.status == 0, "\(mkdir)")
            #expect(try await LocalServer.containerExists(made))
            await LocalServer.removeContainer(made)
        }
    }

    @Test("option habits with no meaning in cfsh are usage errors, exit 2, that give the form to use")
    func optionsRefused() async throws {
        try await withContainer("habit") { container, scratch in
            try await Self.fill(container, scratch)
            let cases: [(String, String)] = [
                ("ls -la \(container)", "ls: cfsh has no '-a' (every object is listed); use 'ls -l'"),
                ("ls -1 \(container)", "ls: 'ls' prints one name per line already when not given -l"),
                (
                    "cp -r \(container)/dir/ \(container)/copy/",
                    "cp: 'cp' has no '-r': it copies objects, and a glob copies those of a folder (cp SOURCE/* DEST/)"
                ),
            ]
            for (text, message) in cases {
                // The bad line comes second: the whole script is checked before `rm` runs.
                let result = try await cfsh("rm \(container)/top.txt\n\(text)")
                #expect(result.status == 2, "\(result)")
                #expect(result.stdout == "")
                #expect(result.stderr.hasPrefix("-c:2:4: \(message)\n\(text)\n   ^\n"), "\(result)")
            }
            #expect(try await LocalServer.objectNames(container) == ["dir/a.txt", "dir/deep/b.txt", "top.txt"])
        }
    }

    @Test("another tool's command name is a syntax error, exit 2, that names the cfsh command")
    func commandHabits() async throws {
        try await withContainer("habit") { container, scratch in
            try await Self.fill(container, scratch)
            let delete = try await cfsh("cd \(container)\ndelete top.txt")
            delete.expect(
                status: 2, stdout: "", stderr: "-c:2:1: unknown command 'delete'; use 'rm'\ndelete top.txt\n^\n")
            #expect(try await LocalServer.objectNames(container).contains("top.txt"))
            let cases: [(String, String)] = [
                (
                    "post \(container)",
                    "use 'meta PATH KEY=VALUE…' ('stat' shows metadata, and 'mkdir' creates a container)"
                ),
                ("head \(container)/top.txt", "use 'stat'"),
                ("list", "use 'ls'"),
                ("upload x \(container)/", "use 'put'"),
                ("download \(container)/top.txt", "use 'get'"),
                ("tree \(container)", "use 'ls -r'"),
            ]
            for (text, advice) in cases {
                let name = String(text.prefix { $0 != " " })
                let result = try await cfsh(text)
                result.expect(
                    status: 2, stdout: "", stderr: "-c:1:1: unknown command '\(name)'; \(advice)\n\(text)\n^\n")
            }
        }
    }

    @Test("an unquoted |, >, < or & is a syntax error at its column that says how; quoted, it is a name")
    func shellOperators() async throws {
        try await withContainer("habit") { container, scratch in
            try scratch.write("f.txt", "f\n")
            // Before, '|' and 'wc' were read as containers to make, and '-l' as an option of mkdir.
            let pipe = try await cfsh("mkdir \(container) | wc -l")
            pipe.expect(
                status: 2, stdout: "",
                stderr: """
                    -c:1:\(8 + container.count): '|' is not a pipe in cfsh; to pipe the output, run: \
                    cfsh -c 'mkdir \(container)' | wc -l
                    mkdir \(container) | wc -l
                    \(String(repeating: " ", count: 7 + container.count))^

                    """)
            #expect(try await !LocalServer.containerExists(container))
            let redirect = try await cfsh("put f.txt \(container)/ > out.txt", in: scratch)
            #expect(redirect.status == 2, "\(redirect)")
            #expect(
                redirect.stderr.hasPrefix(
                    "-c:1:\(13 + container.count): '>' is not a redirection in cfsh; to write the output to a file, "
                        + "run: cfsh -c 'put f.txt \(container)/' > out.txt\n"), "\(redirect)")
            #expect(try await !LocalServer.containerExists(container))
            #expect(!FileManager.default.fileExists(atPath: scratch.file("out.txt")))
            let background = try await cfsh("put f.txt \(container)/ &", in: scratch)
            #expect(background.status == 2, "\(background)")
            #expect(background.stderr.contains("'&' is not in cfsh"), "\(background)")

            let quoted = try await cfsh(
                "put f.txt '\(container)/a|b'; put f.txt \"\(container)/c > d\"; put f.txt \(container)/e\\&f; ls \(container)",
                in: scratch)
            #expect(quoted.status == 0, "\(quoted)")
            #expect(quoted.lines == ["a|b", "c > d", "e&f"].map { "\(container)/\($0)" }, "\(quoted)")
            #expect(try await LocalServer.objectNames(container) == ["a|b", "c > d", "e&f"])
        }
    }

    @Test("a name that starts with a combining mark can be written in quotes, and is stored exactly")
    func combiningMarkName() async throws {
        try await withContainer("habit") { container, scratch in
            try scratch.write("f.txt", "f\n")
            // Before, the quote and the mark were one Character: "missing the closing '".
            let result = try await cfsh(
                "put f.txt '\(container)/\u{301}x'; put f.txt \"\(container)/\u{20DD}y\"; ls \(container)", in: scratch)
            #expect(result.status == 0, "\(result)")
            let names = try await LocalServer.objectNames(container)
            #expect(
                names.map { Array($0.unicodeScalars) } == [
                    Array("\u{301}x".unicodeScalars), Array("\u{20DD}y".unicodeScalars),
                ])
            #expect(
                result.lines.map { Array($0.unicodeScalars) }
                    == names.map { Array("\(container)/\($0)".unicodeScalars) })
        }
    }
}
