// libFuzzer harness: parsing and checking any text ends in a script or a ParseError.
@testable import CFShell

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        try Checker.check(try Parser.parse(source, file: "fuzz"))
    } catch {
        _ = error.diagnostic.rendered(source: source)
    }
    _ = REPL.needsMoreInput(source)
    return 0
}
