// libFuzzer harness: the lexer never traps, hangs or overflows its stack.
@testable import CFShell

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLexer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Lexer.tokenize(source, file: "fuzz")
    _ = CompletionScanner(source).wordAtEnd
    return 0
}
