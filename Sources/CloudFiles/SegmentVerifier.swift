import NIOCore

/// Checks a static large object's body segment by segment as it streams: each segment's
/// bytes must have the MD5 its manifest lists. (The whole body's MD5 is not the object's
/// ETag, so this is the only end-to-end check a large object has.)
struct SegmentVerifier {
    private let segments: [SegmentRecord]
    private var index = 0
    private var offset: Int64 = 0
    private var md5 = RunningMD5()
    /// How many segments have been checked so far.
    private(set) var verified = 0

    /// A verifier, or `nil` when the manifest cannot be checked this way: segment sizes
    /// that do not add up to the body (ranges in the manifest), or nested manifests whose
    /// ETags are not MD5s.
    init?(segments: [SegmentRecord], totalLength: Int64?) {
        guard !segments.isEmpty, let totalLength,
            WireNumber.sum(segments.map(\.bytes)) == totalLength,
            segments.allSatisfy({ $0.etag.utf8.count == 32 && $0.bytes > 0 })
        else { return nil }
        self.segments = segments
    }

    /// Feeds the next bytes of the body.
    ///
    /// - Throws: `.checksumMismatch` naming the segment whose MD5 differs.
    mutating func update(_ buffer: ByteBuffer) throws {
        var buffer = buffer
        while buffer.readableBytes > 0 {
            guard index < segments.count else {
                throw CloudFilesError.lengthMismatch.with(message: "the body is longer than its segments")
            }
            let segment = segments[index]
            let take = Int(Swift.min(Int64(buffer.readableBytes), segment.bytes - offset))
            md5.update(buffer.readSlice(length: take)!)
            offset += Int64(take)
            if offset == segment.bytes {
                let got = md5.hex()
                guard got == segment.etag else {
                    throw CloudFilesError.checksumMismatch.with(
                        message:
                            "segment \(index + 1) of \(segments.count) (\(segment.container)/\(segment.name)) arrived with MD5 \(got), not \(segment.etag)"
                    )
                }
                verified += 1
                index += 1
                offset = 0
                md5 = RunningMD5()
            }
        }
    }

    /// Whether every segment has been received and checked.
    var isComplete: Bool { verified == segments.count }
}
