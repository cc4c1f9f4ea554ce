import NIOHTTP1

/// User metadata in headers: `X-Account-Meta-*`, `X-Container-Meta-*`, `X-Object-Meta-*`.
///
/// Swift title-cases metadata names (`color` comes back as `Color`), so keys are
/// lowercased both ways: what you set is what you read.
enum Metadata {
    enum Scope: String {
        case account = "Account", container = "Container", object = "Object"
        var prefix: String { "x-\(rawValue.lowercased())-meta-" }
    }

    /// The user metadata in `headers`, keyed by lowercased name without the prefix.
    static func read(_ headers: HTTPHeaders, scope: Scope) -> [String: String] {
        var result: [String: String] = [:]
        let prefix = scope.prefix
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower.hasPrefix(prefix) {
                result[String(lower.dropFirst(prefix.count))] = value
            }
        }
        return result
    }

    /// Adds `X-<Scope>-Meta-<key>` headers for `set`, and `X-Remove-<Scope>-Meta-<key>`
    /// for `remove`.
    static func write(
        _ set: [String: String], remove: [String] = [], scope: Scope, into headers: inout HTTPHeaders
    ) throws {
        for (key, value) in set.sorted(by: { $0.key < $1.key }) {
            try validate(key: key, value: value)
            headers.replaceOrAdd(name: "X-\(scope.rawValue)-Meta-\(key)", value: value)
        }
        for key in remove {
            try validate(key: key, value: "")
            headers.replaceOrAdd(name: "X-Remove-\(scope.rawValue)-Meta-\(key)", value: "x")
        }
    }

    /// Refuses keys that would make a broken header before sending.
    static func validate(key: String, value: String) throws {
        let tokenBytes = key.utf8.allSatisfy { byte in
            byte > 32 && byte < 127 && !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
        }
        if key.contains("_") {
            throw CloudFilesError.invalidArgument.with(
                message: "metadata name '\(key)' cannot contain '_': Swift silently drops such headers; use '-'")
        }
        guard !key.isEmpty, tokenBytes else {
            throw CloudFilesError.invalidArgument.with(
                message: "metadata name \(Names.quoted(key)) must be ASCII letters, digits, '-' or '.'")
        }
        // Byte-wise: "\r\n" is one Swift Character, equal to neither "\r" nor "\n".
        guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else {
            throw CloudFilesError.invalidArgument.with(
                message: "the value of metadata '\(key)' cannot contain a line break")
        }
        guard !value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw CloudFilesError.invalidArgument.with(
                message: "the value of metadata '\(key)' cannot contain a control character")
        }
    }
}

extension HTTPHeaders {
    /// A count or size header; `nil` when absent, negative, or past `Int64`.
    func int64(_ name: String) -> Int64? { first(name: name).flatMap { WireNumber.count($0) } }
    func int(_ name: String) -> Int? { int64(name).flatMap { Int(exactly: $0) } }

    /// All headers as `(name, value)` pairs, for `stat`-style displays.
    var pairs: [(String, String)] { map { ($0.name, $0.value) } }
}
