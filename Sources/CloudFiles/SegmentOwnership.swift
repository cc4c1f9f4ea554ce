/// Which segments belong to a large object: the rule that decides what deleting or
/// replacing it may delete.
///
/// Whoever can write a manifest chooses where its segments are: an `X-Object-Manifest`
/// or a static manifest can name any container of the account, including one that the
/// writer cannot read. Deleting "the segments of the object" as the manifest names them
/// would let a collaborator with write access to one shared container aim the owner's
/// deletions anywhere. So segments are deleted only where a CloudFiles, python-swiftclient or
/// rclone upload of that object puts them: in the manifest's own container or in
/// `<container>_segments`, and named under `<object name>/`. The rest are left in place
/// and reported as ``KeptSegments``.
///
/// Names are compared as bytes, never as Swift `String`s, whose `==` treats canonically
/// equivalent spellings (a precomposed `é` and `e` with a combining accent) as equal.
public struct SegmentOwnership: Sendable, Hashable {
    /// The manifest's container.
    public var container: String
    /// The manifest's object name.
    public var object: String

    /// The rule for the large object `object` in `container`.
    public init(object: String, in container: String) {
        self.container = container
        self.object = object
    }

    /// The containers an upload of this object puts its segments in: its own container
    /// and `<container>_segments`.
    public var segmentContainers: [String] { [container, container + "_segments"] }

    /// What every segment name of this object starts with: `<object name>/`.
    public var namePrefix: String { object + "/" }

    /// Whether deleting this object may delete `segment`.
    public func owns(_ segment: SegmentRecord) -> Bool {
        isSegmentContainer(segment.container) && segment.name.utf8.starts(with: namePrefix.utf8)
    }

    func isSegmentContainer(_ name: String) -> Bool {
        segmentContainers.contains { $0.utf8.elementsEqual(name.utf8) }
    }

    /// Splits `segments` into those deleting this object may delete and those it keeps,
    /// grouped by container with the reason.
    public func partition(_ segments: [SegmentRecord]) -> (owned: [SegmentRecord], kept: [KeptSegments]) {
        var owned: [SegmentRecord] = []
        var kept: [KeptSegments] = []
        for segment in segments {
            if owns(segment) {
                owned.append(segment)
                continue
            }
            let reason: KeptSegments.Reason =
                isSegmentContainer(segment.container) ? .otherName(expected: namePrefix) : .otherContainer
            if let index = kept.firstIndex(where: {
                $0.container.utf8.elementsEqual(segment.container.utf8) && $0.reason == reason
            }) {
                kept[index].count += 1
            } else {
                kept.append(KeptSegments(object: object, container: segment.container, count: 1, reason: reason))
            }
        }
        return (owned, kept)
    }

    /// Keeps every segment, because the object shares them with a manifest copy of it
    /// (``CloudFilesClient/sharedSegmentsKey``).
    public func keepingShared(_ segments: [SegmentRecord]) -> LargeObjectSegments {
        var kept: [KeptSegments] = []
        for segment in segments {
            if let index = kept.firstIndex(where: { $0.container.utf8.elementsEqual(segment.container.utf8) }) {
                kept[index].count += 1
            } else {
                kept.append(KeptSegments(object: object, container: segment.container, count: 1, reason: .shared))
            }
        }
        return LargeObjectSegments(kept: kept)
    }
}

/// Segments of a large object left in place when it was deleted or replaced, because they
/// are not where an upload of it puts them (see ``SegmentOwnership``).
public struct KeptSegments: Sendable, Hashable, CustomStringConvertible {
    /// Why the segments were kept.
    public enum Reason: Sendable, Hashable {
        /// They are in a container other than the manifest's own and `<container>_segments`.
        case otherContainer
        /// They are in the right container, but not named under `expected` (`<object name>/`).
        case otherName(expected: String)
        /// Their container could not be listed, so they were not counted.
        case unlisted
        /// The object shares them with a manifest copy of it
        /// (``CloudFilesClient/sharedSegmentsKey``): another manifest may still use them.
        case shared
    }

    /// The large object's name.
    public var object: String
    /// The container the segments are in.
    public var container: String
    /// How many segments (0 when ``Reason/unlisted``).
    public var count: Int
    /// Why they were kept.
    public var reason: Reason

    /// Creates a report of kept segments.
    public init(object: String, container: String, count: Int, reason: Reason) {
        self.object = object
        self.container = container
        self.count = count
        self.reason = reason
    }

    /// `kept 3 segments of 'report.txt': they are in 'victim', not where an upload of it puts them`.
    public var description: String {
        let what =
            switch reason {
            case .unlisted: "kept the segments of \(Names.quoted(object))"
            default: "kept \(count) segment\(count == 1 ? "" : "s") of \(Names.quoted(object))"
            }
        let place =
            switch reason {
            case .otherContainer, .unlisted: "in \(Names.quoted(container))"
            case .otherName(let expected): "in \(Names.quoted(container)) but not under \(Names.quoted(expected))"
            case .shared: "in \(Names.quoted(container))"
            }
        if reason == .shared {
            return "\(what) in \(Names.quoted(container)): it shares them with a copy of it (cp of a large object)"
        }
        return "\(what): \(count == 1 ? "it is" : "they are") \(place), not where an upload of it puts them"
    }
}

/// What deleting a large object's segments did.
public struct SegmentDeletion: Sendable, Hashable {
    /// How many segments were deleted.
    public var deleted: Int
    /// The segments left in place, by container, with the reason.
    public var kept: [KeptSegments]

    /// Creates a result.
    public init(deleted: Int = 0, kept: [KeptSegments] = []) {
        self.deleted = deleted
        self.kept = kept
    }
}

/// The segments of a large object about to be deleted or replaced, split by
/// ``SegmentOwnership``: what ``CloudFilesClient/deleteSegments(_:keeping:)`` will delete,
/// and what it will leave in place.
public struct LargeObjectSegments: Sendable, Hashable {
    /// Segments where an upload of the object puts them: deleted with it.
    public var owned: [SegmentRecord]
    /// Segments elsewhere, by container, with the reason: left in place.
    public var kept: [KeptSegments]

    /// Creates a split; empty for an object that has no segments.
    public init(owned: [SegmentRecord] = [], kept: [KeptSegments] = []) {
        self.owned = owned
        self.kept = kept
    }
}

extension ObjectInfo {
    /// Where a symlink points (`X-Symlink-Target`, `container/object`), when the object
    /// was read as the link itself (`?symlink=get`); `nil` for anything else.
    public var symlinkTarget: String? {
        headers.first { $0.name.lowercased() == "x-symlink-target" }?.value
    }
}
