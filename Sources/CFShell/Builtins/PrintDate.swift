import CFShellLanguage
import Foundation

/// `date`: print the date and time: ISO 8601 by default, or as strftime's FORMAT.
enum PrintDate: Builtin {
    static let spec = CommandSpec(
        "date", "[-u] [+FORMAT]",
        summary: "Print the date and time: ISO 8601 by default, or as strftime's FORMAT.",
        details: "For a dated prefix: let today = $(date +%Y-%m-%d)",
        options: [CommandSpec.Option("-u", "--utc", help: "in UTC rather than local time")],
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let utc = arguments.has("-u")
        var format = utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S%z"
        if let operand = arguments.operands.first?.text {
            guard operand.hasPrefix("+") else {
                throw ShellError.usage("the format must start with '+', as in 'date +%Y-%m-%d'")
            }
            format = String(operand.dropFirst())
        }
        var now = time(nil)
        var parts = tm()
        if utc { gmtime_r(&now, &parts) } else { localtime_r(&now, &parts) }
        var buffer = [CChar](repeating: 0, count: 512)
        let length = strftime(&buffer, buffer.count, format, &parts)
        guard length > 0 || format.isEmpty else { throw ShellError.usage("the format '\(format)' gives no text") }
        shell.stdout.line(String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
