import AsyncHTTPClient
import NIOCore

/// Reading at most a few bytes of a reply body. A server chooses how long a body is, and
/// an error reply's body is only ever shown as a message, so it is read up to a limit;
/// past the limit the body is dropped, which makes AsyncHTTPClient close the connection
/// instead of reading on.
extension HTTPClientResponse.Body {
    /// The body's first `limit` bytes (all of it when shorter); the rest is never read.
    func prefix(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in self {
            var chunk = chunk
            let room = limit - collected.readableBytes
            if chunk.readableBytes >= room {
                if var head = chunk.readSlice(length: room) { collected.writeBuffer(&head) }
                // Leaving the loop drops the iterator: the connection is closed, not drained.
                break
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}

/// How much of a body is read before it is given up.
enum ReplyBodyLimit {
    /// An error reply: enough for Swift's and Keystone's messages.
    static let error = 4 * 1024
    /// A reply whose body is not used (a PUT's or DELETE's): read to reuse the
    /// connection when it is this short, else the connection is closed.
    static let ignored = 64 * 1024
}
