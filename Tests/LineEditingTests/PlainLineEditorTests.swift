import Testing
@testable import LineEditing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Plain line reading")
struct PlainLineEditorTests {
    @Test("Lines are read from a pipe without prompts, the last one without a newline")
    func readsLines() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let text = Array("ls\r\ncd photos\nstat x".utf8)
        _ = text.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        defer { close(fds[0]) }
        let editor = PlainLineEditor(fileDescriptor: fds[0])
        editor.addHistory("ignored")
        #expect(editor.readLine(prompt: "> ") == .line("ls"))
        #expect(editor.readLine(prompt: "> ") == .line("cd photos"))
        #expect(editor.readLine(prompt: "> ") == .line("stat x"))
        #expect(editor.readLine(prompt: "> ") == .endOfInput)
        #expect(editor.history.isEmpty)
    }
}
