/// A shell's language: its grammar with the commands it knows.
///
/// Reading a script is one step, ``read(_:file:)``: parse the whole text, then check every
/// command's literal options and operand count, so that a mistake on the last line stops the
/// script before the first line runs.
public struct Language: Sendable {
    /// The commands, in the order `help` lists them.
    public let commands: [CommandSpec]
    /// The names the parser accepts as commands.
    public let commandNames: Set<String>
    /// Masks the values of the commands' secret options in what is kept or shown.
    public let redaction: SecretRedaction
    private let byName: [String: CommandSpec]

    public init(commands: [CommandSpec]) {
        self.commands = commands
        self.commandNames = Set(commands.map(\.name))
        self.byName = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.redaction = SecretRedaction(commands: commands)
    }

    public func spec(named name: String) -> CommandSpec? { byName[name] }

    /// Parses and checks `source`.
    /// - Parameter file: the name used in locations (`backup.cfsh`, `-c`, `<stdin>`).
    /// - Throws: the first syntax or usage error, as a `ParseError`.
    public func read(_ source: String, file: String = "<input>") throws(ParseError) -> Script {
        let script = try parse(source, file: file)
        try check(script)
        return script
    }

    /// Parses `source` without checking the commands' options: for telling whether an
    /// entry typed at the prompt is complete.
    public func parse(_ source: String, file: String = "<input>") throws(ParseError) -> Script {
        try Parser.parse(source, file: file, knownCommands: commandNames)
    }

    /// Checks the commands of a parsed script (see ``read(_:file:)``).
    public func check(_ script: Script) throws(ParseError) {
        let checker = Checker(language: self)
        try FrontEndThread.run { () throws(ParseError) in try checker.check(script.statements) }
    }
}
