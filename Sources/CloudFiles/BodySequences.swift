import NIOCore

/// A byte range of an open file as an `AsyncSequence` of chunks, read on demand.
///
/// Only the chunk being sent is in memory. When a ``DigestBox`` is given, the MD5 of the
/// bytes read is put into it as the last chunk is handed out, because a request body of
/// known length may not be asked for its end.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let file: LocalFile
    let range: Range<Int64>
    let chunkSize: Int
    let digest: DigestBox?
    /// Told how many bytes of the range have been read, after each chunk.
    var progress: (@Sendable (Int64) -> Void)? = nil

    func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self, offset: range.lowerBound)
    }

    struct Iterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var offset: Int64
        var md5 = RunningMD5()
        let allocator = ByteBufferAllocator()

        mutating func next() async throws -> ByteBuffer? {
            let end = chunks.range.upperBound
            guard offset < end else { return nil }
            let count = Int(Swift.min(Int64(chunks.chunkSize), end - offset))
            let buffer = try await chunks.file.read(at: offset, count: count, allocator: allocator)
            guard buffer.readableBytes == count else {
                throw CloudFilesError.localFile.with(
                    message: "'\(chunks.file.path)' became shorter while it was being sent")
            }
            offset += Int64(count)
            chunks.progress?(offset - chunks.range.lowerBound)
            if let digest = chunks.digest {
                md5.update(buffer)
                if offset == end {
                    digest.finish(md5.hex(), bytes: end - chunks.range.lowerBound)
                }
            }
            return buffer
        }
    }
}

/// Another `AsyncSequence` of byte buffers, passed through while its MD5 and length are
/// computed; both land in a ``DigestBox`` at the end.
struct HashingSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let digest: DigestBox
    /// When known, the digest is finished as soon as this many bytes have passed.
    let expectedLength: Int64?
    /// Told how many bytes have passed, after each buffer.
    var progress: (@Sendable (Int64) -> Void)? = nil

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), digest: digest, expectedLength: expectedLength, progress: progress)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let digest: DigestBox
        let expectedLength: Int64?
        let progress: (@Sendable (Int64) -> Void)?
        var md5 = RunningMD5()
        var count: Int64 = 0
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            while true {
                guard let buffer = try await base.next() else {
                    finished = true
                    digest.finish(md5.hex(), bytes: count)
                    return nil
                }
                if buffer.readableBytes == 0 { continue }
                md5.update(buffer)
                count += Int64(buffer.readableBytes)
                progress?(count)
                if let expectedLength, count == expectedLength {
                    digest.finish(md5.hex(), bytes: count)
                }
                return buffer
            }
        }
    }
}
