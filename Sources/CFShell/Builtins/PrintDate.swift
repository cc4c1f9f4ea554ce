import CFShellLanguage

/// `date`: print the date and time: ISO 8601 by default, or as strftime's FORMAT.
enum PrintDate: Builtin {
    static let spec = CommandSpec(
        "date", "[-u] [+FORMAT]",
        summary: "Print the date and time: ISO 8601 by default, or as strftime's FORMAT.",
        details: "For a dated prefix: let today = $(date +%Y-%m-%d)",
        options: [CommandSpec.Option("-u", "--utc", help: "in UTC rather than local time")],
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.date(arguments)
    }
}
