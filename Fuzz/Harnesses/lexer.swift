// libFuzzer harness: the lexer and the word scanner never trap, hang or overflow the stack.
@testable import CFShellLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLexer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Lexer.tokenize(source, file: "fuzz")
    _ = WordScanner(source).wordAtEnd
    return 0
}
