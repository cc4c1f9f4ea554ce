import CFShellLanguage
import CloudFiles
import Foundation

/// What Tab completion may ask the session. Remote names come from listings,
/// so those calls are async; the completer bounds how long it waits.
public protocol CompletionSource: Sendable {
    /// Command names, keywords included.
    func completionCommands() -> [String]
    /// The options `command` accepts (`-r`, `--force`).
    func completionOptions(for command: String) -> [String]
    /// Variable names, without `$`.
    func completionVariables() async -> [String]
    /// The remote working folder (`/`, `/backups/2026`), connecting first when there is no
    /// connection yet (without asking for a secret), or `nil` when not connected.
    func completionRemoteFolder() async -> String?
    /// One level of remote names: containers starting with `prefix` when
    /// `container` is `nil`; else the objects and pseudo-folders (ending in `/`)
    /// of `container` starting with `prefix`, listed with delimiter `/`.
    func completionRemoteNames(container: String?, prefix: String, limit: Int) async throws -> [String]
    /// The local working folder.
    func completionLocalFolder() async -> String
    /// The metadata keys of the account, container or object at `path` (as typed, relative
    /// to the working folder; empty for the working container), for `meta --remove`.
    func completionMetadataKeys(path: String) async throws -> [String]
}

extension CompletionSource {
    public func completionMetadataKeys(path: String) async throws -> [String] { [] }
}

/// One way to finish the word at the cursor.
public struct CompletionSuggestion: Sendable, Equatable {
    /// The text that replaces the word, quoted for the lexer.
    public var replacement: String
    /// What a list of candidates shows: the last path component.
    public var display: String
    /// Finished (a space may follow), or a folder to go on into.
    public var isFinal: Bool
}

/// The suggestions for the word before the cursor, and how long that word is.
public struct Completions: Sendable, Equatable {
    /// Characters (Unicode scalars) before the cursor that the suggestions replace.
    public var replacing: Int
    public var suggestions: [CompletionSuggestion]

    public static let none = Completions(replacing: 0, suggestions: [])
}

/// Tab completion for the REPL: command names, the options of the command
/// being typed, `$variables`, remote paths one level at a time, and local
/// paths in the local slots of `put`, `get`, `lcd`, `lls` and `source`.
///
/// `complete` is synchronous because the line editor calls it while the user
/// waits; it must run on a thread of its own, not on Swift's cooperative pool,
/// since it blocks on the async `CompletionSource` for at most `timeout`.
public final class Completer {
    private let source: any CompletionSource
    private let timeout: Duration
    private let connectTimeout: Duration
    private let cache = RemoteNameCache()

    /// How many names one listing returns at most: completion shows one page.
    static let listingLimit = 1000

    /// - Parameters:
    ///   - timeout: the longest wait for one listing.
    ///   - connectTimeout: the longest wait for the connection the first remote Tab opens;
    ///     the connection goes on past it, for the next Tab.
    public init(source: any CompletionSource, timeout: Duration = .seconds(2), connectTimeout: Duration = .seconds(5)) {
        self.source = source
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    /// - Parameters:
    ///   - line: the whole line being edited.
    ///   - cursor: the cursor position in Unicode scalars.
    public func complete(line: String, cursor: Int) -> Completions {
        let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(cursor)))
        let scanner = WordScanner(before)
        guard !scanner.endsInComment else { return .none }
        let word = scanner.wordAtEnd
        let replacing = word.range.count
        let suggestions: [CompletionSuggestion]
        if word.isVariableOnly {
            suggestions = variables(matching: String(word.value.dropFirst()))
        } else if word.hasExpansion {
            suggestions = []
        } else {
            suggestions = arguments(word: word, preceding: scanner.precedingWords)
        }
        return Completions(replacing: replacing, suggestions: suggestions)
    }

    // MARK: - Kinds of words

    private func arguments(word: ScannedWord, preceding: [ScannedWord]) -> [CompletionSuggestion] {
        var words = preceding
        // `if CMD …` and `if ! CMD …` complete like CMD.
        if words.first?.value == "if" {
            words.removeFirst()
            if words.first?.value == "!" { words.removeFirst() }
        }
        guard let first = words.first else {
            return commands(matching: word.value, openQuote: word.openQuote)
        }
        let command = first.value.hasPrefix("-") ? String(first.value.dropFirst()) : first.value
        if word.value.hasPrefix("-"), word.openQuote == nil {
            return optionSuggestions(source.completionOptions(for: command), matching: word.value)
        }
        let positionals = words.dropFirst().filter { !$0.value.hasPrefix("-") }.count
        switch CompletionSlots.slot(command: command, position: positionals, precedingWords: words.map(\.value)) {
        case .none:
            return []
        case .command:
            return commands(matching: word.value, openQuote: word.openQuote).filter { $0.replacement != "let" }
        case .remote(let kind):
            return remote(word, kind: kind)
        case .local(let foldersOnly):
            return local(word, foldersOnly: foldersOnly)
        case .localThenRemote:
            let found = local(word, foldersOnly: false)
            return found.isEmpty ? remote(word, kind: .any) : found
        case .remoteThenLocal:
            let found = remote(word, kind: .any)
            return found.isEmpty ? local(word, foldersOnly: false) : found
        case .words(let choices):
            guard word.openQuote == nil else { return [] }
            return choices.filter { $0.hasPrefix(word.value) }.map {
                CompletionSuggestion(replacement: $0, display: $0, isFinal: true)
            }
        case .metadataKey(let path):
            return metadataKeys(word, path: path)
        }
    }

    private func commands(matching typed: String, openQuote: Unicode.Scalar?) -> [CompletionSuggestion] {
        guard openQuote == nil else { return [] }
        // A leading `-` ignores the command's failure; keep it.
        let dash = typed.hasPrefix("-") ? "-" : ""
        let name = typed.dropFirst(dash.count)
        return Set(source.completionCommands()).filter { $0.hasPrefix(name) }.sorted().map {
            CompletionSuggestion(replacement: dash + $0, display: $0, isFinal: true)
        }
    }

    private func variables(matching typed: String) -> [CompletionSuggestion] {
        let source = self.source
        let names = wait { await source.completionVariables() } ?? []
        return Set(names).filter { $0.hasPrefix(typed) }.sorted().map {
            CompletionSuggestion(replacement: "$" + $0, display: "$" + $0, isFinal: true)
        }
    }

    private func remote(_ word: ScannedWord, kind: CompletionSlots.RemoteKind) -> [CompletionSuggestion] {
        let source = self.source
        guard let folder = wait(at: connectTimeout, { await source.completionRemoteFolder() }) ?? nil else {
            return []
        }
        let typed = word.value
        let target = RemotePathSplit(typed: typed, folder: folder)
        let names: [String]
        if let cached = cache.names(container: target.container, prefix: target.prefix) {
            names = cached
        } else {
            let (container, prefix) = (target.container, target.prefix)
            guard
                let listed = wait({
                    try? await source.completionRemoteNames(
                        container: container, prefix: prefix, limit: Self.listingLimit)
                }) ?? nil
            else { return [] }
            cache.store(listed, container: container, prefix: prefix, complete: listed.count < Self.listingLimit)
            names = listed
        }
        var values: [(value: String, display: String, isFinal: Bool)] = []
        for name in names where name.hasPrefix(target.prefix) {
            let tail = name.dropFirst(target.prefix.count)
            if target.container == nil {
                // A container: go on into it, unless only containers are wanted.
                let final = kind == .containers
                values.append((typed + tail + (final ? "" : "/"), name + (final ? "" : "/"), final))
            } else {
                let isFolder = name.hasSuffix("/")
                if kind == .folders && !isFolder { continue }
                if kind == .containers { continue }
                values.append((typed + tail, Self.lastComponent(name), !isFolder))
            }
        }
        return quoted(values, openQuote: word.openQuote)
    }

    /// The keys `path` has now: one HEAD, waited for at most `timeout`, never a prompt.
    private func metadataKeys(_ word: ScannedWord, path: String) -> [CompletionSuggestion] {
        let source = self.source
        guard (wait(at: connectTimeout, { await source.completionRemoteFolder() }) ?? nil) != nil else { return [] }
        let keys: [String] = (wait({ try? await source.completionMetadataKeys(path: path) }) ?? nil) ?? []
        let values = keys.filter { $0.hasPrefix(word.value) }.sorted().map { ($0, $0, true) }
        return quoted(values, openQuote: word.openQuote)
    }

    private func local(_ word: ScannedWord, foldersOnly: Bool) -> [CompletionSuggestion] {
        let typed = word.value
        let source = self.source
        let base = wait { await source.completionLocalFolder() } ?? FileManager.default.currentDirectoryPath
        var values: [(value: String, display: String, isFinal: Bool)] = []
        for entry in LocalPathLister.entries(typed: typed, base: base) {
            if foldersOnly && !entry.isFolder { continue }
            values.append((typed + entry.tail, entry.display, !entry.isFolder))
        }
        return quoted(values, openQuote: word.openQuote)
    }

    private func quoted(
        _ values: [(value: String, display: String, isFinal: Bool)], openQuote: Unicode.Scalar?
    ) -> [CompletionSuggestion] {
        // A name that no quoting can spell without a raw control character (ESC, DEL, C1…)
        // is not offered: inserting it would drive the terminal the line is drawn on.
        let values = values.filter { !CompletionQuoting.hasUnquotableControl($0.value) }
        let style = CompletionQuoting.style(for: values.map(\.value), openQuote: openQuote)
        return values.map {
            CompletionSuggestion(
                replacement: CompletionQuoting.quote($0.value, style: style), display: Names.printable($0.display),
                isFinal: $0.isFinal)
        }
    }

    static func lastComponent(_ name: String) -> String {
        let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
        let last = trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? trimmed
        return name.hasSuffix("/") ? last + "/" : last
    }

    /// Runs `work` on the cooperative pool and waits for it on this thread, at
    /// most `timeout` (or `limit`); `nil` when it took longer (the task is then cancelled).
    private func wait<T: Sendable>(at limit: Duration? = nil, _ work: @escaping @Sendable () async -> T) -> T? {
        let timeout = limit ?? self.timeout
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            box.set(await work())
            done.signal()
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard done.wait(timeout: .now() + seconds) == .success else {
            task.cancel()
            return nil
        }
        return box.value
    }
}

/// Hands a value from a task to a waiting thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`; written by the task once, read after the semaphore.
    private let lock = NSLock()
    private var stored: T?

    func set(_ value: T) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: T? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// The options of a command that start with what is typed.
private func optionSuggestions(_ options: [String], matching typed: String) -> [CompletionSuggestion] {
    Set(options).filter { $0.hasPrefix(typed) }.sorted().map {
        CompletionSuggestion(replacement: $0, display: $0, isFinal: true)
    }
}
