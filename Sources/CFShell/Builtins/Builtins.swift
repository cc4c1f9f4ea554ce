import CFShellLanguage

/// The registry of built-in commands: the one list the language, `help`, completion and the
/// evaluator read. A new command is a type conforming to ``Builtin`` and a line here.
enum Builtins {
    static let all: [any Builtin.Type] = [
        Connect.self,
        List.self,
        ChangeFolder.self,
        PrintFolder.self,
        LocalChangeFolder.self,
        LocalPrintFolder.self,
        LocalList.self,
        MakeContainers.self,
        Put.self,
        Get.self,
        Cat.self,
        Remove.self,
        RemoveContainers.self,
        Stat.self,
        Copy.self,
        Move.self,
        Echo.self,
        Help.self,
        Exit.self,
        Source.self,
        ChangeSetting.self,
        PrintDate.self,
        Find.self,
        Orphans.self,
        Sync.self,
    ]

    /// The command language: cfsh's grammar with these commands.
    static let language = Language(commands: all.map { $0.spec })

    private static let byName: [String: any Builtin.Type] = Dictionary(
        all.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })

    static func named(_ name: String) -> (any Builtin.Type)? { byName[name] }
}

extension Shell {
    /// The command language: cfsh's grammar with its built-in commands.
    static var language: Language { Builtins.language }
}
