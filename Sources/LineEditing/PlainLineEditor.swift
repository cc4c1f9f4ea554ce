#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor with no prompt, no editing and no
/// history: what cfsh does when stdin is not a terminal or `TERM=dumb`.
public final class PlainLineEditor: LineEditor {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var atEnd = false

    public var completionProvider: (any CompletionProvider)?
    public let control = LineEditorControl.none
    public var history: [String] { [] }

    public init(fileDescriptor: Int32 = STDIN_FILENO) {
        self.fd = fileDescriptor
    }

    public func readLine(prompt: String) -> LineInput {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if atEnd {
                guard !buffer.isEmpty else { return .endOfInput }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count == 0 || errno != EINTR {
                atEnd = true
            }
        }
    }

    public func addHistory(_ entry: String) {}
    public func loadHistory(_ entries: [String]) {}
}
