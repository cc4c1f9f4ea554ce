import CFSHTestSupport
import Foundation
import Testing

/// The local Swift server (its address and accounts are in CFSHTestSupport) as the
/// end-to-end tests use it, and python-swiftclient's CLI, which checks cfsh's results independently.
extension LocalServer {
    /// Fails the test with instructions when the server does not answer.
    static func require() async throws {
        let result = try await shell(
            "/usr/bin/curl",
            [
                "-sf", "-o", "/dev/null", "--max-time", "5",
                authURL.replacingOccurrences(of: "/auth/v1.0", with: "/healthcheck"),
            ])
        guard result.status == 0 else {
            Issue.record(
                "the local Swift server at \(authURL) is not reachable: start it with 'scripts/swift-server start'")
            throw CancellationError()
        }
    }

    /// A container name no other test uses.
    static func uniqueContainer(_ label: String = "e2e") -> String {
        "cfsh-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Uploads `big.bin`, 400 MiB of a sparse file (quick to make and upload, seconds to
    /// download), to `container` with python-swiftclient, deletes it locally, and makes the
    /// folder `out` in `scratch` for a download: returns its path.
    static func uploadSparseBigFile(to container: String, from scratch: TemporaryFolder) async throws -> String {
        let big = scratch.file("big.bin")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: 400 << 20)
        try handle.close()
        let upload = try await swiftclient(["upload", container, "big.bin"], directory: scratch.path)
        #expect(upload.status == 0, "\(upload)")
        try FileManager.default.removeItem(atPath: big)
        let out = scratch.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        return out
    }

    /// Runs python-swiftclient's CLI as the main test account.
    static func swiftclient(_ arguments: [String], directory: String? = nil) async throws -> CommandResult {
        try await shell(swiftCLI, ["-A", authURL, "-U", user, "-K", key] + arguments, directory: directory)
    }

    /// The storage URL and token that python-swiftclient's `swift auth` prints for the main
    /// test account.
    static func swiftclientAuth() async throws -> (url: String, token: String) {
        let auth = try await swiftclient(["auth"])
        var url: String?
        var token: String?
        for line in auth.lines {
            if line.hasPrefix("export OS_STORAGE_URL=") { url = String(line.dropFirst("export OS_STORAGE_URL=".count)) }
            if line.hasPrefix("export OS_AUTH_TOKEN=") { token = String(line.dropFirst("export OS_AUTH_TOKEN=".count)) }
        }
        return (try #require(url, "swift auth printed no storage URL: \(auth)"), try #require(token, "\(auth)"))
    }

    static func shell(
        _ executable: String, _ arguments: [String], directory: String? = nil
    ) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_")
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        async let out = readToEnd(output.fileHandleForReading)
        async let err = readToEnd(errors.fileHandleForReading)
        let (outData, errData) = await (out, err)
        await waitForExit(process)
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
