/// A listing read page by page: each element is one page of entries.
///
/// It follows `marker` (the last name of the previous page) until a page comes back
/// empty, because some servers return short pages before the end. It stops early when the
/// listing's `limit` is reached. Only one page is held at a time, so a listing of
/// millions of names runs in constant memory.
///
/// Names must come in strictly increasing byte order (decreasing with `reverse`), past the
/// marker: a server that repeats a name or goes back would otherwise loop forever, so that
/// is an `.invalidResponse` error.
public struct ListingPages<Entry: Sendable>: AsyncSequence, Sendable {
    /// One page of entries, in server order.
    public typealias Element = [Entry]

    typealias Fetch = @Sendable (_ marker: String?, _ remaining: Int?) async throws -> [Entry]

    let fetch: Fetch
    let markerOf: @Sendable (Entry) -> String
    let initialMarker: String?
    let limit: Int?
    let reverse: Bool

    init(
        initialMarker: String?, limit: Int?, reverse: Bool = false,
        markerOf: @escaping @Sendable (Entry) -> String, fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.markerOf = markerOf
        self.initialMarker = initialMarker
        self.limit = limit
        self.reverse = reverse
    }

    /// Throws unless each name of `page` comes strictly after the one before it (starting
    /// from `marker`) in the listing's order: byte order, as Swift sorts.
    func checkOrder(_ page: [Entry], after marker: String?) throws {
        var previous = marker.flatMap { $0.isEmpty ? nil : $0 }
        for entry in page {
            let name = markerOf(entry)
            if let previous {
                let advances =
                    reverse
                    ? name.utf8.lexicographicallyPrecedes(previous.utf8)
                    : previous.utf8.lexicographicallyPrecedes(name.utf8)
                guard advances else {
                    throw CloudFilesError.invalidResponse.with(
                        message:
                            "the server's listing does not advance: \(Names.quoted(name)) came after \(Names.quoted(previous)); stopping instead of listing forever"
                    )
                }
            }
            previous = name
        }
    }

    /// Starts the listing; the first page is requested by the first `next()`.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: self, marker: initialMarker, remaining: limit.map { Swift.max(0, $0) })
    }

    /// Requests one page per `next()`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: ListingPages
        var marker: String?
        var remaining: Int?
        var finished = false

        /// The next page, or `nil` after an empty page or once the limit is reached.
        public mutating func next() async throws -> [Entry]? {
            guard !finished else { return nil }
            if let remaining, remaining <= 0 {
                finished = true
                return nil
            }
            var page: [Entry]
            do {
                page = try await pages.fetch(marker, remaining)
            } catch {
                finished = true
                throw error
            }
            guard let last = page.last else {
                finished = true
                return nil
            }
            do {
                try pages.checkOrder(page, after: marker)
            } catch {
                finished = true
                throw error
            }
            marker = pages.markerOf(last)
            if let left = remaining {
                if page.count >= left {
                    page.removeLast(page.count - left)
                    finished = true
                }
                remaining = left - page.count
            }
            return page
        }
    }
}

/// The entries of ``ListingPages`` one by one.
public struct FlattenedListing<Entry: Sendable>: AsyncSequence, Sendable {
    /// One entry.
    public typealias Element = Entry

    /// The same listing, a page at a time (for batching, as bulk delete does).
    public let pages: ListingPages<Entry>

    /// Starts the listing.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    /// Yields the entries of each page in turn, fetching the next page when one runs out.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: ListingPages<Entry>.AsyncIterator
        var buffer: [Entry] = []
        var index = 0

        /// The next entry, or `nil` at the end of the listing.
        public mutating func next() async throws -> Entry? {
            while index >= buffer.count {
                guard let page = try await pages.next() else { return nil }
                buffer = page
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
