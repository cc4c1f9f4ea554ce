import NIOHTTP1

/// A container's access control lists: who may read it (`X-Container-Read`) and who may write
/// to it (`X-Container-Write`), as lists of elements.
///
/// The elements Swift understands, and this type accepts:
/// - `.r:*` — anyone with the URL may read objects (no token needed); `.r:HOST` (or `.r:.domain`,
///   `.r:*.domain`) only requests whose `Referer` is that host; `.r:-HOST` refuses that host.
///   Read ACL only. `.ref:`, `.referer:` and `.referrer:` are read as `.r:`.
/// - `.rlistings` — anyone may also list the container (with a referrer element). Read ACL only.
/// - `account:user` (tempauth), `account` (every user of the account), `account:*`.
/// - Keystone: `project:user` (names), `project_id:user_id`, `*:user_id`, `project_id:*`, `*:*`.
///
/// Elements are refused before anything is sent when they are empty, contain a comma, a
/// space or a control character (a line break would split the header), are not ASCII, have
/// more than one `:`, name an unknown `.` designator, or put a referrer in a write ACL.
public struct ContainerACL: Sendable, Equatable {
    /// Which of the two lists.
    public enum Kind: String, Sendable, CaseIterable {
        case read, write
        /// The header that carries it.
        public var header: String { self == .read ? "X-Container-Read" : "X-Container-Write" }
    }

    /// The read ACL's elements, in the server's order.
    public var read: [String]
    /// The write ACL's elements, in the server's order.
    public var write: [String]

    public init(read: [String] = [], write: [String] = []) {
        self.read = read
        self.write = write
    }

    /// The elements of one list.
    public subscript(kind: Kind) -> [String] {
        get { kind == .read ? read : write }
        set { if kind == .read { read = newValue } else { write = newValue } }
    }

    /// Whether anyone with the URL may read the objects (`.r:*`).
    public var isPublic: Bool { read.contains(".r:*") }
    /// Whether anyone allowed by a referrer element may also list the container (`.rlistings`).
    public var allowsListings: Bool { read.contains(".rlistings") }

    /// Splits a header value as the server sends it (`a:b,.r:*`) into elements, without
    /// checking them: what the server stored is shown as it is.
    public static func elements(ofHeader value: String?) -> [String] {
        guard let value else { return [] }
        return value.split(separator: ",").map { $0.trimmed(" \t") }.filter { !$0.isEmpty }
    }

    /// Checks one element for `kind`, and returns it in the form the server stores
    /// (`.referrer:x` becomes `.r:x`).
    ///
    /// - Throws: `.invalidArgument`, with a message naming the element and what is wrong.
    public static func validate(_ element: String, for kind: Kind) throws -> String {
        func refuse(_ why: String) -> CloudFilesError {
            CloudFilesError.invalidArgument.with(
                message: "\(kind.rawValue) ACL element \(Names.quoted(element)) \(why)")
        }
        guard !element.isEmpty else {
            throw CloudFilesError.invalidArgument.with(message: "an empty \(kind.rawValue) ACL element")
        }
        if element.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw refuse("contains a line break")
        }
        if element.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw refuse("contains a control character")
        }
        if element.unicodeScalars.contains(where: { $0.value > 0x7E }) {
            throw refuse("is not ASCII")
        }
        if element.contains(" ") { throw refuse("contains a space") }
        if element.contains(",") { throw refuse("contains a comma (give each element on its own)") }
        let parts = element.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if element.hasPrefix(".") {
            if element == ".rlistings" {
                guard kind == .read else { throw refuse("belongs in a read ACL (it allows listing)") }
                return element
            }
            guard parts.count == 2, [".r", ".ref", ".referer", ".referrer"].contains(parts[0]) else {
                throw refuse("is not .r:HOST, .r:-HOST, .r:* or .rlistings")
            }
            guard kind == .read else { throw refuse("is a referrer, which Swift allows only in a read ACL") }
            var host = Substring(parts[1])
            let negated = host.first == "-"
            if negated { host = host.dropFirst() }
            if host != "*" && host.hasPrefix("*") { host = host.dropFirst() }
            guard !host.isEmpty, host != "." else { throw refuse("names no host after .r:") }
            let hostBytes = host.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || "-._*".utf8.contains(byte)
            }
            guard hostBytes, host == "*" || !host.contains("*") else {
                throw refuse("names no valid host (letters, digits, '-', '.'; or '*' alone)")
            }
            return ".r:" + (negated ? "-" : "") + String(host)
        }
        guard parts.count <= 2 else { throw refuse("has more than one ':' (write account:user)") }
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            throw refuse("has an empty side of ':' (write account:user, account:* or *:user)")
        }
        if parts == ["*"] { throw refuse("is '*' alone: write *:* for every authenticated user") }
        return element
    }

    /// Checks every element of `elements` for `kind` (see ``validate(_:for:)``), each of which
    /// may be a comma-separated list as Swift writes them, and returns them normalized, without
    /// duplicates, in their order.
    public static func validate(_ elements: [String], for kind: Kind) throws -> [String] {
        var result: [String] = []
        for item in elements {
            let pieces = item.split(separator: ",", omittingEmptySubsequences: false)
            for piece in pieces {
                let trimmed = pieces.count > 1 ? piece.trimmed(" ") : String(piece)
                let element = try validate(trimmed, for: kind)
                if !result.contains(element) { result.append(element) }
            }
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmed(_ set: String) -> String {
        var copy = self
        while let first = copy.first, set.contains(first) { copy.removeFirst() }
        while let last = copy.last, set.contains(last) { copy.removeLast() }
        return String(copy)
    }
}

extension ContainerInfo {
    /// The read and write ACLs, split into elements.
    public var acl: ContainerACL {
        ContainerACL(read: ContainerACL.elements(ofHeader: readACL), write: ContainerACL.elements(ofHeader: writeACL))
    }
}

extension CloudFilesClient {
    /// A container's read and write ACLs (`HEAD`).
    ///
    /// - Throws: `.notFound` when the container does not exist.
    public func containerACL(_ container: String) async throws -> ContainerACL {
        try await containerInfo(container).acl
    }

    /// Replaces a container's read ACL, write ACL or both (`POST`). A `nil` list is left as it
    /// is; an empty list removes that ACL (`X-Remove-Container-Read`). Every element is checked
    /// (``ContainerACL/validate(_:for:)``) before anything is sent.
    ///
    /// - Throws: `.invalidArgument` for a bad element, `.notFound` when the container does not
    ///   exist, `.forbidden` without the rights to change it.
    public func setContainerACL(_ container: String, read: [String]? = nil, write: [String]? = nil) async throws {
        try Names.validateContainer(container)
        try await writeACL(
            container, read: try read.map { try ContainerACL.validate($0, for: .read) },
            write: try write.map { try ContainerACL.validate($0, for: .write) })
    }

    /// Writes elements already checked, or read from the server.
    private func writeACL(_ container: String, read: [String]?, write: [String]?) async throws {
        var headers: [String: String] = [:]
        let lists: [(ContainerACL.Kind, [String]?)] = [(.read, read), (.write, write)]
        for (kind, elements) in lists {
            guard let elements else { continue }
            if elements.isEmpty {
                headers["X-Remove-Container-\(kind == .read ? "Read" : "Write")"] = "x"
            } else {
                headers[kind.header] = elements.joined(separator: ",")
            }
        }
        guard !headers.isEmpty else { return }
        try await updateContainerMetadata(container, headers: headers)
    }

    /// Adds and removes elements of a container's ACLs, keeping the others: reads both ACLs
    /// (`HEAD`), merges, and writes back only the lists that changed (`POST`). Every element
    /// is checked before anything is sent. Two clients changing one container's ACL at the
    /// same moment can lose one change: Swift has no conditional `POST`.
    ///
    /// - Parameters:
    ///   - grant: elements to add, per list; an element already there stays where it is.
    ///   - revoke: elements to remove from both lists.
    /// - Returns: the ACLs as written.
    /// - Throws: `.invalidArgument` for a bad element, `.notFound`, `.forbidden`.
    @discardableResult
    public func updateContainerACL(
        _ container: String, grant: ContainerACL = ContainerACL(), revoke: [String] = []
    ) async throws -> ContainerACL {
        try Names.validateContainer(container)
        let addRead = try ContainerACL.validate(grant.read, for: .read)
        let addWrite = try ContainerACL.validate(grant.write, for: .write)
        // A referrer is never in a write ACL, so a revoked element is checked as a read one
        // only when it could not be a write one.
        var removing: [String] = []
        for element in revoke {
            if let write = try? ContainerACL.validate([element], for: .write) {
                removing += write
            } else {
                removing += try ContainerACL.validate([element], for: .read)
            }
        }
        let before = try await containerACL(container)
        var after = before
        after.read = after.read.filter { !removing.contains($0) } + addRead.filter { !after.read.contains($0) }
        after.write = after.write.filter { !removing.contains($0) } + addWrite.filter { !after.write.contains($0) }
        try await writeACL(
            container, read: after.read == before.read ? nil : after.read,
            write: after.write == before.write ? nil : after.write)
        return after
    }

    /// The URL of a container, as anonymous clients reach it when its read ACL is `.r:*`.
    public func containerURL(_ container: String) async throws -> String {
        try Names.validateContainer(container)
        return StorageRequest(.GET, .container(container)).url(storageURL: try await storageURL())
    }
}
