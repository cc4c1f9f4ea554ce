import CFSHTestSupport
import Foundation
import Testing

/// Issue 13, items 8 and 9 (and the container dates of item 18) through the built binary
/// against the local Swift: relative paths after `cd` that also name a container, and
/// operands that match nothing.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PathHintsE2ETests {
    /// Two containers, the second named `<first>-big`, removed afterwards.
    private func withTwoContainers(_ body: (String, String, TemporaryFolder) async throws -> Void) async throws {
        try await withContainer("hints") { first, scratch in
            let second = first + "-big"
            do {
                try await body(first, second, scratch)
            } catch {
                await LocalServer.removeContainer(second)
                throw error
            }
            await LocalServer.removeContainer(second)
        }
    }

    @Test("put to a relative path that names a container, somewhere new, says where it went")
    func relativeWriteNote() async throws {
        try await withTwoContainers { here, big, scratch in
            try scratch.write("small.bin", "small\n")
            let first = try await cfsh("mkdir \(here) \(big); cd /\(here); put small.bin \(big)/", in: scratch)
            #expect(first.status == 0, "\(first)")
            #expect(
                first.stderr
                    == "note: '\(big)/' is relative to /\(here) and resolved to /\(here)/\(big)/; the container is /\(big)/\n"
            )
            #expect(try await LocalServer.objectNames(here) == ["\(big)/small.bin"])
            #expect(try await LocalServer.objectNames(big) == [])
            // The same place again is not new: no note. Nor for a name that is no container's,
            // nor for the absolute path.
            let again = try await cfsh(
                "cd /\(here); put small.bin \(big)/; put small.bin sub/; put small.bin /\(big)/", in: scratch)
            #expect(again.status == 0, "\(again)")
            #expect(again.stderr == "")
            #expect(try await LocalServer.objectNames(big) == ["small.bin"])
        }
    }

    @Test("a relative path that names a container and fails gets the note after the error")
    func relativeFailureNote() async throws {
        try await withTwoContainers { here, big, scratch in
            #expect(try await cfsh("mkdir \(here) \(big)").status == 0)
            let result = try await cfsh("cd /\(here); get \(big)/report.pdf", in: scratch)
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(result)")
            #expect(
                lines.first?.hasPrefix(
                    "-c:1: get: no object or folder '\(big)/report.pdf' in '\(here)' (404 GET /v1/AUTH_test/\(here)/\(big)/report.pdf)"
                ) == true, "\(result)")
            #expect(
                lines.last
                    == "note: '\(big)/report.pdf' is relative to /\(here) and resolved to /\(here)/\(big)/report.pdf; the container is /\(big)/: write '/\(big)/report.pdf' for it"
            )
            // An 'ls' of the same relative folder: the 404 hint and the note.
            let listed = try await cfsh("cd /\(here); ls \(big)/")
            #expect(listed.status == 1)
            #expect(
                listed.stderr
                    == "-c:1: ls: no folder '\(big)/' in '\(here)'\nnote: '\(big)/' is relative to /\(here) and resolved to /\(here)/\(big)/; the container is /\(big)/\n"
            )
        }
    }

    @Test("ls of a folder or container that is not there fails with close names; an empty container is fine")
    func listMissing() async throws {
        try await withTwoContainers { container, empty, scratch in
            try scratch.write("x", "x")
            let put = try await cfsh("put x \(container)/data/report.txt; put x \(container)/logs/x", in: scratch)
            #expect(put.status == 0, "\(put)")
            let cased = try await cfsh("ls \(container)/Data/")
            cased.expect(
                status: 1, stdout: "",
                stderr: "-c:1: ls: no folder 'Data/' in '\(container)'; did you mean 'data/'?\n")
            let typo = try await cfsh("ls \(container)/dta/")
            #expect(typo.status == 1)
            #expect(typo.stderr == "-c:1: ls: no folder 'dta/' in '\(container)'; did you mean 'data/'?\n")
            let object = try await cfsh("ls \(container)/data/reprot.txt")
            #expect(object.status == 1)
            #expect(
                object.stderr
                    == "-c:1: ls: no object or folder 'data/reprot.txt' in '\(container)'; did you mean 'data/report.txt'?\n"
            )
            let wrongContainer = try await cfsh("ls \(container.dropLast())")
            #expect(wrongContainer.status == 1)
            #expect(
                wrongContainer.stderr.hasPrefix(
                    "-c:1: ls: no container '\(container.dropLast())'; did you mean '\(container)'? (404 GET"),
                "\(wrongContainer)")
            let emptyList = try await cfsh("mkdir \(empty); ls \(empty); ls /\(empty)/; ls --json \(empty)")
            emptyList.expect(status: 0, stdout: "[]\n", stderr: "")
        }
    }

    @Test("rm, rm -r, get -r and stat of an operand that matches nothing fail; a prune script with a typo exits 1")
    func removeMissing() async throws {
        try await withContainer("hints") { container, scratch in
            try scratch.write("x", "x")
            for name in ["daily/1", "daily/2", "weekly/1"] {
                #expect(try await cfsh("put x \(container)/\(name)", in: scratch).status == 0)
            }
            let recursive = try await cfsh("rm -r \(container)/dialy/")
            #expect(recursive.status == 1)
            #expect(recursive.stderr == "-c:1: rm: no folder 'dialy/' in '\(container)'; did you mean 'daily/'?\n")
            let withoutSlash = try await cfsh("rm -r \(container)/dailyy")
            #expect(withoutSlash.status == 1)
            #expect(withoutSlash.stderr.contains("did you mean 'daily/'?"), "\(withoutSlash)")
            let glob = try await cfsh("rm \(container)/daily/*.gz")
            #expect(glob.status == 1)
            #expect(glob.stderr == "-c:1: rm: nothing matches '\(container)/daily/*.gz'\n")
            let object = try await cfsh("rm \(container)/daily/3")
            #expect(object.status == 1)
            #expect(
                object.stderr.hasPrefix("-c:1: rm: no object or folder 'daily/3' in '\(container)' (404 "),
                "\(object)")
            let download = try await cfsh("get -r \(container)/Weekly/ out/", in: scratch)
            #expect(download.status == 1)
            #expect(download.stderr == "-c:1: get: no folder 'Weekly/' in '\(container)'; did you mean 'weekly/'?\n")
            let stat = try await cfsh("stat \(container)/weekly/2")
            #expect(stat.status == 1)
            #expect(stat.stderr.hasPrefix("-c:1: stat: no object or folder 'weekly/2' in '\(container)'"), "\(stat)")
            // The script of a nightly prune, with a typo: it fails, and deletes nothing.
            let prune = try await CFSHBinary.run(
                ["-c", "rm -r \(container)/daly/\necho pruned"], environment: LocalServer.environment)
            #expect(prune.status == 1)
            #expect(prune.stdout == "")
            #expect(try await LocalServer.objectNames(container) == ["daily/1", "daily/2", "weekly/1"])
        }
    }

    @Test("rm -f and 'set nomatch ok' make an operand that matches nothing no error")
    func forceAndSetting() async throws {
        try await withContainer("hints") { container, scratch in
            try scratch.write("x", "x")
            #expect(try await cfsh("put x \(container)/keep", in: scratch).status == 0)
            let forced = try await cfsh(
                "rm -f \(container)/gone; rm -f \(container)/*.none; rm -r -f \(container)/typo/; "
                    + "rm -f \(container)-nothere/x; rm -f \(container)/keep; echo done")
            forced.expect(status: 0, stdout: "done\n", stderr: "")
            #expect(try await LocalServer.objectNames(container) == [])
            let lenient = try await cfsh(
                "set nomatch ok; ls \(container)/typo/; rm -r \(container)/typo/; get -r \(container)/typo/ out/; echo done",
                in: scratch)
            lenient.expect(
                status: 0, stdout: "done\n", stderr: "rm: nothing under '\(container)/typo/'; nothing deleted\n")
            let setting = try await cfsh("set nomatch; set nomatch ok; set nomatch; set nomatch maybe")
            #expect(setting.status == 2)
            #expect(setting.stdout == "nomatch error\nnomatch ok\n")
            #expect(setting.stderr == "-c:1: set: nomatch must be error or ok, not 'maybe'\n")
        }
    }

    @Test("stat of a container shows when it was created and last changed, as text and JSON")
    func containerDates() async throws {
        try await withContainer("hints") { container, _ in
            let before = Date().addingTimeInterval(-60)
            let result = try await cfsh("mkdir \(container); stat \(container); stat --json \(container)")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("\nCreated:         20"), "\(result)")
            #expect(result.stdout.contains("\nLast modified:   20"), "\(result)")
            let json = String(result.stdout[result.stdout.firstIndex(of: "{")!...])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(result)")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let created = try #require((object["created"] as? String).flatMap(formatter.date(from:)), "\(object)")
            #expect(created > before && created < Date().addingTimeInterval(60))
            #expect((object["last_modified"] as? String).flatMap(formatter.date(from:)) != nil, "\(object)")
        }
    }
}
