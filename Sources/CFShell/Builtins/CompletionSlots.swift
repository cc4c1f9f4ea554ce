import CFShellLanguage

/// Which kind of name each argument of each command takes, for completion.
enum CompletionSlots {
    enum RemoteKind: Equatable {
        case any
        /// Containers and pseudo-folders only (`cd`).
        case folders
        /// Containers only (`rmdir`).
        case containers
    }

    enum Slot: Equatable {
        case none
        case command
        case remote(RemoteKind)
        case local(foldersOnly: Bool)
        /// `put a b c [REMOTE]`: the last may be remote, but local files are likelier.
        case localThenRemote
        /// `get a b [LOCAL]`: the same the other way round.
        case remoteThenLocal
        /// One of these words (`versions C on|off`).
        case words([String])
        /// The metadata keys of the account, container or object at this path (as typed;
        /// empty for the working container), for `meta PATH --remove KEY`.
        case metadataKey(path: String)
    }

    /// - Parameters:
    ///   - command: the command name, without a failure-ignoring `-`.
    ///   - position: how many arguments (not options) come before the word.
    ///   - precedingWords: the statement's words so far, the command first.
    static func slot(command: String, position: Int, precedingWords: [String]) -> Slot {
        // foreach NAME in ITEMS…
        if command == Keyword.foreach.rawValue { return position >= 2 ? .remote(.any) : .none }
        return Builtins.named(command)?.completion(at: position, precedingWords: precedingWords) ?? .none
    }
}
