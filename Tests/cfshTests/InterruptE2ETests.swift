import CFSHTestSupport
import Foundation
import Testing

/// Ctrl-C (SIGINT) while a command runs: a clean stop, no half-written file, exit 130.
@Suite(.timeLimit(.minutes(5))) struct InterruptE2ETests {
    @Test("SIGINT during a download stops the script with 130 and leaves no file behind")
    func interruptDownload() async throws {
        try await withContainer("sigint") { container, scratch in
            // A large sparse file uploads quickly and takes a few seconds to download.
            let big = scratch.path + "/big.bin"
            _ = FileManager.default.createFile(atPath: big, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
            try handle.truncate(atOffset: 400 << 20)
            try handle.close()
            let upload = try await cfsh("put big.bin \(container)/", in: scratch)
            #expect(upload.status == 0, "\(upload)")
            try FileManager.default.removeItem(atPath: big)
            try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: true)
            try scratch.write("get.cfsh", "get \(container)/big.bin out/\necho never\n")

            let process = Process()
            process.executableURL = URL(fileURLWithPath: CFSHBinary.path)
            process.arguments = ["run", "get.cfsh"]
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            process.environment = ProcessInfo.processInfo.environment.merging(LocalServer.environment) { _, new in new }
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Interrupt as soon as the download has its file open (a file with no name on
            // Linux, so it is found through /proc rather than in the folder).
            let out = scratch.path + "/out"
            let interrupted = await waitForOpenFile(process, under: out)
            if interrupted { process.interrupt() }
            #expect(interrupted, "the download finished before it could be interrupted")
            async let outData = readToEnd(output.fileHandleForReading)
            async let errData = readToEnd(errors.fileHandleForReading)
            let (stdout, stderr) = await (outData, errData)
            await waitForExit(process)
            #expect(process.terminationStatus == 130)
            #expect(String(decoding: stdout, as: UTF8.self) == "")
            #expect(String(decoding: stderr, as: UTF8.self) == "cfsh: interrupted\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out") == [])
        }
    }
}
