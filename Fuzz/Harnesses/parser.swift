// libFuzzer harness: parsing and checking any text ends in a script or a ParseError, and
// redacting it ends.
@testable import CFShellLanguage

/// A few commands of cfsh's shape: options with values, a secret one, operand bounds.
let language = Language(commands: [
    CommandSpec(
        "connect", "[OPTIONS]", summary: "",
        options: [
            CommandSpec.Option("-K", "--key", value: "KEY", help: "", isSecret: true),
            CommandSpec.Option("-U", "--user", value: "USER", help: ""),
        ],
        operands: 0...1),
    CommandSpec("ls", "[-l] [PATH…]", summary: "", options: [CommandSpec.Option("-l", "--long", help: "")]),
    CommandSpec("cd", "[PATH]", summary: "", operands: 0...1),
    CommandSpec("echo", "[WORD…]", summary: "", takesRawWords: true),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try language.read(source, file: "fuzz")
    } catch {
        _ = error.diagnostic.rendered(source: source, redacting: language.redaction.redact)
    }
    _ = try? Parser.parse(source, file: "fuzz", knownCommands: nil)
    return 0
}
