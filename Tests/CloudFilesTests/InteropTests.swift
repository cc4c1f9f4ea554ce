import CFSHTestSupport
import CloudFiles
import Foundation
import NIOCore
import Testing

/// python-swiftclient's `swift` CLI, run from the server's venv by full path.
enum SwiftCLI {
    /// Runs `swift -A … -U … -K … ARGS` in `folder`; the key goes in the environment, not argv.
    @discardableResult
    static func run(_ arguments: [String], in folder: String) throws -> String {
        let cli = LocalServer.swiftCLI
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            throw CLIError(message: "\(cli) is missing; `scripts/swift-server start` installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["ST_AUTH"] = TestServer.authURL.absoluteString
        environment["ST_USER"] = LocalServer.user
        environment["ST_KEY"] = LocalServer.key
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CLIError(
                message: "swift \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    struct CLIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

@Suite("Interoperability with python-swiftclient's swift CLI", .timeLimit(.minutes(5)))
struct InteropTests {
    @Test("an object uploaded by CloudFiles downloads with the CLI byte-identical, with the same MD5")
    func cloudFilesToCLI() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("source.bin", size: 4 * (1 << 20) + 777)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-interop") { container in
                let name = "dir/from cloudfiles é.bin"
                let result = try await client.uploadObject(name, in: container, fromFile: folder.file("source.bin"))
                #expect(result.etag == md5)
                try SwiftCLI.run(["download", container, name, "-o", "cli-copy.bin"], in: folder.path)
                #expect(try TemporaryFolder.md5(ofFile: folder.file("cli-copy.bin")) == md5)
                let stat = try SwiftCLI.run(["stat", container, name], in: folder.path)
                #expect(stat.contains(md5))
                // The CLI restores the mtime CloudFiles stored.
                let original =
                    try FileManager.default.attributesOfItem(atPath: folder.file("source.bin"))[.modificationDate]
                    as? Date
                let copy =
                    try FileManager.default.attributesOfItem(atPath: folder.file("cli-copy.bin"))[.modificationDate]
                    as? Date
                #expect(abs((original?.timeIntervalSince1970 ?? 0) - (copy?.timeIntervalSince1970 ?? -10)) < 1)
            }
        }
    }

    @Test("an object uploaded by the CLI downloads with CloudFiles byte-identical")
    func cliToCloudFiles() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("cli source.bin", size: 3 * (1 << 20) + 5)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-interop") { container in
                try SwiftCLI.run(
                    ["upload", container, "cli source.bin", "--object-name", "up/by cli+%.bin"], in: folder.path)
                let info = try await client.objectInfo("up/by cli+%.bin", in: container)
                #expect(info.etag == md5)
                #expect(info.modificationDate != nil)
                let result = try await client.downloadObject(
                    "up/by cli+%.bin", in: container, toFile: folder.file("ours.bin"))
                #expect(result.md5Verified)
                #expect(try TemporaryFolder.md5(ofFile: folder.file("ours.bin")) == md5)
                let listed = try await Array(client.listObjects(in: container)).map(\.name)
                #expect(listed == ["up/by cli+%.bin"])
            }
        }
    }

    @Test("an SLO uploaded by the CLI (segments) downloads with CloudFiles byte-identical")
    func cliLargeObject() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("large.bin", size: 3 * (1 << 20) + 100)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-slo") { container in
                try SwiftCLI.run(
                    ["upload", container, "large.bin", "--use-slo", "--segment-size", "1048576"], in: folder.path)
                let info = try await client.objectInfo("large.bin", in: container)
                #expect(info.isStaticLargeObject)
                #expect(info.isLargeObject)
                let result = try await client.downloadObject(
                    "large.bin", in: container, toFile: folder.file("ours.bin"))
                #expect(!result.md5Verified)
                #expect(result.segmentsVerified == 4)
                #expect(result.bytes == 3 * (1 << 20) + 100)
                #expect(try TemporaryFolder.md5(ofFile: folder.file("ours.bin")) == md5)
                // Deleting with its segments leaves the segment container empty.
                try await client.deleteObject("large.bin", in: container, deleteSegments: true)
                let segments = try await Array(client.listObjects(in: container + "_segments"))
                #expect(segments.isEmpty)
                try await TestServer.empty(container + "_segments", client)
            }
        }
    }
}
