import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whether process `pid` holds a file open below `folder`: the download's file, named or
/// not (an `O_TMPFILE` file shows as `folder/#123 (deleted)`).
func holdsFileOpen(pid: Int32, under folder: String) -> Bool {
    let fds = "/proc/\(pid)/fd"
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: fds) else { return false }
    return entries.contains { entry in
        (try? FileManager.default.destinationOfSymbolicLink(atPath: fds + "/" + entry))?.hasPrefix(folder + "/") == true
    }
}

/// Whether any process of ours holds a file open below `folder`.
func anyProcessHoldsFileOpen(under folder: String) -> Bool {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.compactMap(Int32.init).contains { holdsFileOpen(pid: $0, under: folder) }
}

/// Waits on a thread of its own (busy test threads must not delay it) until `process`
/// opens a file below `folder`; false when it ended or 60 s passed first.
func waitForOpenFile(_ process: Process, under folder: String) async -> Bool {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline {
                if holdsFileOpen(pid: process.processIdentifier, under: folder) {
                    continuation.resume(returning: true)
                    return
                }
                usleep(1_000)
            }
            continuation.resume(returning: false)
        }
    }
}

/// Issue 11 B8: SIGTERM and SIGHUP stop a download as Ctrl-C does (nothing partial left,
/// 128 + the signal), and even SIGKILL leaves no named partial file.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SignalCleanupE2ETests {
    @Test("a signal during a download leaves no partial file", arguments: [SIGTERM, SIGHUP, SIGKILL])
    func signalDuringDownload(signal: Int32) async throws {
        try await withContainer("signal") { container, scratch in
            try await HostileObjects.put("obj", body: String(repeating: "x", count: 100_000), in: container)
            let out = scratch.path + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            // The proxy holds the GET, so the download is open, and waiting, when the signal comes.
            let match = container + "/obj"
            try await RequestCounter.start(match)
            try await RequestCounter.delay(match, method: "GET", seconds: 8, times: 1)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CFSHBinary.path)
            process.arguments = ["-c", "get \(container)/obj out/; echo never"]
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_") }
            environment.merge(try await RequestCounter.environment()) { _, new in new }
            process.environment = environment
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let started = await waitForOpenFile(process, under: out)
            #expect(started, "the download never opened its file")
            kill(process.processIdentifier, signal)
            async let outData = readToEnd(output.fileHandleForReading)
            async let errData = readToEnd(errors.fileHandleForReading)
            let (stdout, stderr) = await (outData, errData)
            await waitForExit(process)
            let result = "\(process.terminationReason == .uncaughtSignal ? "signal" : "exit") \(process.terminationStatus); \(String(decoding: stderr, as: UTF8.self))"
            if signal == SIGKILL {
                #expect(process.terminationReason == .uncaughtSignal)
            } else {
                #expect(process.terminationReason == .exit, "\(result)")
                #expect(process.terminationStatus == 128 + signal, "\(result)")
            }
            #expect(String(decoding: stdout, as: UTF8.self) == "")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [], "\(result)")
            try await RequestCounter.start(match)
        }
    }
}
