import CFSHTestSupport
import Foundation
import Testing

/// The scripts in examples/, run end to end by the built binary against the local server.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ExamplesE2ETests {
    static func example(_ name: String) -> String {
        packageRoot.appendingPathComponent("examples").appendingPathComponent(name).path
    }

    static func todayUTC() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    @Test("backup.cfsh uploads everything in the folder into CONTAINER/YYYY-MM-DD/: subfolders, dotfiles, spaces")
    func backup() async throws {
        try await withContainer("backup") { container, scratch in
            try scratch.write("db dumps/app.sql", "create table app;\n")
            try scratch.write("db dumps/users.dump", String(repeating: "u", count: 2048))
            try scratch.write("db dumps/.pgpass", "localhost:5432:*:app:secret\n")
            try scratch.write("db dumps/2024 q1/old dump.sql", "old\n")
            let result = try await CFSHBinary.run(
                ["run", Self.example("backup.cfsh"), "db dumps", container], environment: LocalServer.environment,
                directory: scratch.path)
            let today = Self.todayUTC()
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr == "")
            #expect(result.lines.first == "backed up db dumps to \(container)/\(today)/:")
            #expect(result.lines.count == 5)
            #expect(result.lines.dropFirst().allSatisfy { $0.contains("\(container)/\(today)/") })
            #expect(
                try await LocalServer.objectNames(container) == [
                    "\(today)/.pgpass", "\(today)/2024 q1/old dump.sql", "\(today)/app.sql", "\(today)/users.dump",
                ])
            let body = try await LocalServer.swiftclient(["download", container, "\(today)/app.sql", "-o", "-"])
            #expect(body.stdout == "create table app;\n")
            let nested = try await LocalServer.swiftclient(
                ["download", container, "\(today)/2024 q1/old dump.sql", "-o", "-"])
            #expect(nested.stdout == "old\n")
        }
    }

    @Test("backup.cfsh without its arguments stops at the first use, with exit 2")
    func backupWithoutArguments() async throws {
        let result = try await CFSHBinary.run(
            ["run", Self.example("backup.cfsh")], environment: LocalServer.environment)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr.contains(
                "backup.cfsh:10:13: $1 is not set: the script was given 0 arguments\nlet dumps = $1\n            ^\n"))
    }

    @Test("list-all.cfsh prints every container with its objects")
    func listAll() async throws {
        try await withContainer("listall") { container, scratch in
            try scratch.write("a.txt", "a")
            try scratch.write("deep/b.txt", "bb")
            let upload = try await LocalServer.swiftclient(
                ["upload", container, "a.txt", "deep/b.txt"], directory: scratch.path)
            #expect(upload.status == 0, "\(upload)")
            let result = try await CFSHBinary.run(
                ["run", Self.example("list-all.cfsh")], environment: LocalServer.environment)
            #expect(result.status == 0, "\(result)")
            let lines = result.lines
            let heading = try #require(lines.firstIndex(of: "== \(container)"))
            #expect(lines.count > heading + 2)
            #expect(lines[heading + 1].hasPrefix("1  "))
            #expect(lines[heading + 1].hasSuffix("  \(container)/a.txt"))
            #expect(lines[heading + 2].hasPrefix("2  "))
            #expect(lines[heading + 2].hasSuffix("  \(container)/deep/b.txt"))
        }
    }

    @Test("restore.cfsh downloads a whole container into a local folder, folders and all")
    func restore() async throws {
        try await withContainer("restore") { container, scratch in
            try scratch.write("src/top.txt", "top\n")
            try scratch.write("src/2024/01/db.sql", "january\n")
            try scratch.write("src/.hidden/keep me.txt", "dot\n")
            let upload = try await LocalServer.swiftclient(
                ["upload", container, "."], directory: scratch.path + "/src")
            #expect(upload.status == 0, "\(upload)")
            let result = try await CFSHBinary.run(
                ["run", Self.example("restore.cfsh"), container, "restored"], environment: LocalServer.environment,
                directory: scratch.path)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "restored \(container) into restored/\(container)\n")
            #expect(scratch.read("restored/\(container)/top.txt") == "top\n")
            #expect(scratch.read("restored/\(container)/2024/01/db.sql") == "january\n")
            #expect(scratch.read("restored/\(container)/.hidden/keep me.txt") == "dot\n")
            let missing = try await CFSHBinary.run(
                ["run", Self.example("restore.cfsh"), container + "-missing", "x"],
                environment: LocalServer.environment,
                directory: scratch.path)
            #expect(missing.status == 1)
            #expect(missing.stdout == "there is no container \(container)-missing\n")
        }
    }

    @Test("purge.cfsh deletes a container and all its objects")
    func purge() async throws {
        try await withContainer("purge") { container, scratch in
            for index in 1...25 { try scratch.write("objs/\(index).txt", "\(index)") }
            let upload = try await LocalServer.swiftclient(["upload", container, "objs"], directory: scratch.path)
            #expect(upload.status == 0, "\(upload)")
            #expect(try await LocalServer.objectNames(container).count == 25)
            let result = try await CFSHBinary.run(
                ["run", Self.example("purge.cfsh"), container], environment: LocalServer.environment)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "deleted \(container) and everything in it\n")
            #expect(try await !LocalServer.containerExists(container))
            let again = try await CFSHBinary.run(
                ["run", Self.example("purge.cfsh"), container], environment: LocalServer.environment)
            #expect(again.status == 0)
            #expect(again.stdout == "nothing to do: there is no container \(container)\n")
        }
    }
}
