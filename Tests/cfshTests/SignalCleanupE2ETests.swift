import CFSHTestSupport
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
    processHoldingFileOpen(under: folder) != nil
}

/// A process that holds a file open below `folder`.
func processHoldingFileOpen(under folder: String) -> Int32? {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.compactMap(Int32.init).first { holdsFileOpen(pid: $0, under: folder) }
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
            var environment = ProcessInfo.processInfo.environment.filter {
                !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_")
            }
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
            let result =
                "\(process.terminationReason == .uncaughtSignal ? "signal" : "exit") \(process.terminationStatus); \(String(decoding: stderr, as: UTF8.self))"
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

    @Test("SIGTERM during a get at the interactive prompt ends the session with 143 and leaves no file")
    func terminateInteractiveGet() async throws {
        try await withContainer("replterm") { container, scratch in
            let out = try await LocalServer.uploadSparseBigFile(to: container, from: scratch)

            // cfsh under an interactive bash, which prints how it ended.
            try await LocalServer.require()
            let session = try PTYSession(directory: scratch.path, environment: LocalServer.environment, shell: true)
            try session.enter("\(CFSHBinary.path); echo \"EXIT=$?\"")
            try await session.waitForLastLine(REPLSessionTests.disconnected)
            try session.enter("connect")
            try await session.waitForLastLine(REPLSessionTests.connected)
            try session.enter("get \(container)/big.bin out/")
            let started = ContinuousClock.now
            var pid: Int32?
            while pid == nil, ContinuousClock.now - started < .seconds(30) {
                pid = processHoldingFileOpen(under: out)
                if pid == nil { try await Task.sleep(for: .milliseconds(5)) }
            }
            let cfsh = try #require(pid, "the download never started")
            kill(cfsh, SIGTERM)
            try await session.waitFor("EXIT=143")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
        }
    }
}
