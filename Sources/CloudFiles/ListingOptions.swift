/// Filters and bounds that every listing takes; a container listing (`GET` on the account)
/// takes only these.
public struct ListingOptions: Sendable, Hashable {
    /// Only names starting with this.
    public var prefix: String?
    /// Only names after this one (before it, with ``reverse``).
    public var marker: String?
    /// Only names before this one (after it, with ``reverse``).
    public var endMarker: String?
    /// The most entries to return in all, over every page; `nil` for all.
    public var limit: Int?
    /// Newest-first: names in descending order.
    public var reverse: Bool
    /// Entries asked for per request; `nil` for the client's ``CloudFilesClient/Configuration/listingPageSize``.
    /// Memory use is proportional to it, not to the listing's length.
    public var pageSize: Int?

    /// Creates options; the defaults list everything in ascending order.
    public init(
        prefix: String? = nil,
        marker: String? = nil,
        endMarker: String? = nil,
        limit: Int? = nil,
        reverse: Bool = false,
        pageSize: Int? = nil
    ) {
        self.prefix = prefix
        self.marker = marker
        self.endMarker = endMarker
        self.limit = limit
        self.reverse = reverse
        self.pageSize = pageSize
    }
}

/// Filters and bounds for a container listing (`GET` on the account).
public typealias ContainerListingOptions = ListingOptions

/// Filters and bounds for an object listing (`GET` on a container): those of every listing
/// (read and set them as `options.prefix`, …), and a delimiter.
@dynamicMemberLookup
public struct ObjectListingOptions: Sendable, Hashable {
    /// Prefix, markers, limit, order and page size.
    public var bounds: ListingOptions
    /// Roll names up at the first occurrence of this (after the prefix) into
    /// ``ObjectListingEntry/subdirectory(_:)`` entries: `/` gives a folder view.
    public var delimiter: Character?

    /// Creates options; the defaults list everything in ascending order.
    public init(
        prefix: String? = nil, delimiter: Character? = nil, marker: String? = nil, endMarker: String? = nil,
        limit: Int? = nil, reverse: Bool = false, pageSize: Int? = nil
    ) {
        self.bounds = ListingOptions(
            prefix: prefix, marker: marker, endMarker: endMarker, limit: limit, reverse: reverse, pageSize: pageSize)
        self.delimiter = delimiter
    }

    /// The bounds, as if they were this type's own properties.
    public subscript<Value>(dynamicMember field: WritableKeyPath<ListingOptions, Value>) -> Value {
        get { bounds[keyPath: field] }
        set { bounds[keyPath: field] = newValue }
    }
}

/// The common query of both listings.
struct ListingQuery: Sendable {
    var prefix: String?
    var delimiter: String?
    var endMarker: String?
    var reverse: Bool
    var pageSize: Int
    var limit: Int?

    func items(marker: String?, remaining: Int?) -> [(String, String?)] {
        var items: [(String, String?)] = [("format", "json")]
        let size = min(pageSize, remaining ?? pageSize)
        items.append(("limit", String(size)))
        if let marker { items.append(("marker", marker)) }
        if let endMarker { items.append(("end_marker", endMarker)) }
        if let prefix { items.append(("prefix", prefix)) }
        if let delimiter { items.append(("delimiter", delimiter)) }
        if reverse { items.append(("reverse", "true")) }
        return items
    }
}
