/// Something a sync compares by name: a local file or a remote object, named relative to the
/// folder being synced. Names compare by their UTF-8 bytes, the order Swift lists them in
/// (never by `String`'s `<`, which compares by canonical equivalence: `é` in NFC and in NFD
/// are one `String` value but two names on disk and on the server).
public protocol SyncNamed: Sendable {
    /// The name below the synced folder, such as `db/2024-05-01.sql`.
    var relativeName: String { get }
}

extension SyncNamed {
    /// Whether `self` sorts before `other` by the bytes of their UTF-8 names.
    @inlinable
    public func precedes(_ other: some SyncNamed) -> Bool {
        relativeName.utf8.lexicographicallyPrecedes(other.relativeName.utf8)
    }
}

/// One step of a merge: a name only the source has, only the destination has, or both have.
public enum MergedEntry<Source: SyncNamed, Destination: SyncNamed>: Sendable {
    case onlySource(Source)
    case onlyDestination(Destination)
    case both(Source, Destination)

    /// The relative name the entry is about.
    public var relativeName: String {
        switch self {
        case .onlySource(let source): source.relativeName
        case .onlyDestination(let destination): destination.relativeName
        case .both(let source, _): source.relativeName
        }
    }
}

/// A side of a merge whose names did not come in strictly increasing byte order: a broken
/// or hostile listing. The merge stops at once, so that no name is wrongly taken as missing
/// (which `sync --delete` would delete).
public struct SortedMergeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Side: String, Sendable { case source, destination }
    /// Which input was out of order.
    public var side: Side
    /// The name before, and the one that did not sort after it.
    public var previous: String
    public var next: String

    public var description: String {
        let what = previous.utf8.elementsEqual(next.utf8) ? "repeats" : "is not in byte order"
        return "the \(side.rawValue) listing \(what): \(Names.quoted(next)) came after \(Names.quoted(previous)); "
            + "stopping before anything is compared"
    }
}

/// Merges two sequences sorted by the bytes of their UTF-8 relative names, yielding each name
/// once: `.onlySource`, `.onlyDestination` or `.both`, in byte order.
///
/// It holds one entry of each side at a time, so that two listings of millions of names
/// merge in constant memory. Each side must be strictly increasing (no repeats); the merge
/// checks it as it goes and throws ``SortedMergeError`` at the first entry that is not,
/// before yielding anything about that name.
public struct SortedMerge<Source: AsyncSequence & Sendable, Destination: AsyncSequence & Sendable>: AsyncSequence,
    Sendable
where Source.Element: SyncNamed, Destination.Element: SyncNamed {
    public typealias Element = MergedEntry<Source.Element, Destination.Element>

    let source: Source
    let destination: Destination

    /// Merges `source` and `destination`, both sorted by name bytes.
    public init(source: Source, destination: Destination) {
        self.source = source
        self.destination = destination
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source.makeAsyncIterator(), destination: destination.makeAsyncIterator())
    }

    /// Reads one entry ahead on each side.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var source: Source.AsyncIterator
        var destination: Destination.AsyncIterator
        var sourceHead: Source.Element?
        var destinationHead: Destination.Element?
        var sourceDone = false
        var destinationDone = false
        var started = false
        var lastSource: String?
        var lastDestination: String?

        init(source: Source.AsyncIterator, destination: Destination.AsyncIterator) {
            self.source = source
            self.destination = destination
        }

        private mutating func advanceSource() async throws {
            guard !sourceDone else { return }
            guard let next = try await source.next() else {
                sourceDone = true
                sourceHead = nil
                return
            }
            if let lastSource, !lastSource.utf8.lexicographicallyPrecedes(next.relativeName.utf8) {
                sourceDone = true
                throw SortedMergeError(side: .source, previous: lastSource, next: next.relativeName)
            }
            lastSource = next.relativeName
            sourceHead = next
        }

        private mutating func advanceDestination() async throws {
            guard !destinationDone else { return }
            guard let next = try await destination.next() else {
                destinationDone = true
                destinationHead = nil
                return
            }
            if let lastDestination, !lastDestination.utf8.lexicographicallyPrecedes(next.relativeName.utf8) {
                destinationDone = true
                throw SortedMergeError(side: .destination, previous: lastDestination, next: next.relativeName)
            }
            lastDestination = next.relativeName
            destinationHead = next
        }

        /// The next name of either side, or `nil` when both are done.
        public mutating func next() async throws -> Element? {
            if !started {
                started = true
                try await advanceSource()
                try await advanceDestination()
            }
            switch (sourceHead, destinationHead) {
            case (nil, nil):
                return nil
            case (let source?, nil):
                try await advanceSource()
                return .onlySource(source)
            case (nil, let destination?):
                try await advanceDestination()
                return .onlyDestination(destination)
            case (let source?, let destination?):
                if source.relativeName.utf8.elementsEqual(destination.relativeName.utf8) {
                    // Both sides move on before the pair is yielded, so that a repeat on
                    // either side throws before anything about the name is acted on.
                    try await advanceSource()
                    try await advanceDestination()
                    return .both(source, destination)
                }
                if source.precedes(destination) {
                    try await advanceSource()
                    return .onlySource(source)
                }
                try await advanceDestination()
                return .onlyDestination(destination)
            }
        }
    }
}

/// Which of N shards a name belongs to: FNV-1a 64 of its UTF-8 bytes, modulo N. The same on
/// every machine, architecture and Swift version (unlike `Hasher`, which is seeded per
/// process), so that N processes started anywhere split one sync with no coordinator.
public struct SyncShard: Sendable, Equatable, CustomStringConvertible {
    /// This shard, from 0 to `count - 1`.
    public let index: Int
    /// How many shards there are, at least 1.
    public let count: Int

    /// Shard `index` of `count`; `nil` unless `0 <= index < count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`, such as `0/4`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count <= 1_000_000 else {
            return nil
        }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// FNV-1a, 64 bits: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
    public static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Whether the relative name `name` is this shard's.
    public func contains(_ name: String) -> Bool {
        count == 1 || Int(Self.fnv1a64(name.utf8) % UInt64(count)) == index
    }
}
