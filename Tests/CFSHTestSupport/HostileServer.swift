import Foundation

/// scripts/hostile-server.py on a free port: a fake Swift that answers auth v1.0 and then
/// sends the hostile replies of one mode. It stops itself after a short idle time, so a
/// test that dies leaves nothing running.
public final class HostileServer: @unchecked Sendable {
    /// What the server saw and sent, from its `--stats` file.
    public struct Stats: Decodable, Sendable {
        public var requests: Int
        public var bytes_sent: Int
        public var connections: Int
        public var tls_failures: Int
        public var paths: [String]
    }

    public let port: Int
    public let tls: Bool
    private let process: Process
    private let statsPath: String

    /// Starts the server in `mode` (see the script's header) and waits until it listens.
    public init(mode: String, tls: Bool = false) throws {
        statsPath =
            FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).json").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", packageRoot.appendingPathComponent("scripts/hostile-server.py").path,
                "--mode", mode, "--port", "0", "--idle", "20", "--lifetime", "180",
                "--stats", statsPath,
            ] + (tls ? ["--tls"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is `PORT <n>`, written once the socket listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).dropFirst(5)) else {
            process.terminate()
            throw HostileServerError(
                message: "hostile-server.py did not start: '\(String(decoding: line, as: UTF8.self))'")
        }
        self.port = port
        self.tls = tls
    }

    /// The v1.0 auth URL.
    public var authURL: URL { URL(string: "\(tls ? "https" : "http")://127.0.0.1:\(port)/auth/v1.0")! }
    /// The identity URL for Keystone v3 modes.
    public var keystoneURL: URL { URL(string: "http://127.0.0.1:\(port)/v3")! }
    /// The variables cfsh reads to connect to it (it takes any user and key).
    public var environment: [String: String] {
        ["ST_AUTH": authURL.absoluteString, "ST_USER": LocalServer.user, "ST_KEY": LocalServer.key]
    }

    /// What the server counted so far.
    public func stats() throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: Data(contentsOf: URL(fileURLWithPath: statsPath)))
    }

    /// Stops the server (by its own process id) and removes its stats file.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: statsPath)
    }
}

public struct HostileServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
