import Crypto
import Foundation
import NIOCore

/// A running MD5, fed one `ByteBuffer` at a time.
struct RunningMD5 {
    private var md5 = Insecure.MD5()

    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
    }

    /// The lowercase hex digest, as Swift writes ETags.
    func hex() -> String {
        Self.hex(md5.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The MD5 of bytes in memory.
    static func hex(of buffer: ByteBuffer) -> String {
        var md5 = RunningMD5()
        md5.update(buffer)
        return md5.hex()
    }
}

/// Where a body's MD5 ends up once the last byte has been sent. Shared between the
/// request body (which runs inside AsyncHTTPClient) and the code waiting for the reply.
final class DigestBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    private var sent: Int64 = 0

    var digest: String? { lock.withLock { value } }
    var bytesSent: Int64 { lock.withLock { sent } }

    func finish(_ digest: String, bytes: Int64) {
        lock.withLock {
            value = digest
            sent = bytes
        }
    }
}

extension CloudFilesClient {
    /// The MD5 of a local file (or a byte range of it), as Swift would compute the ETag of
    /// an object with those bytes; for skipping files that are already identical.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - range: the bytes to hash (a large object's segment), or `nil` for all.
    /// - Returns: the lowercase hex digest.
    /// - Throws: `.localFile` when the file cannot be read.
    public static func md5(ofFile path: String, range: Range<Int64>? = nil) async throws -> String {
        let file = try await LocalFile.openForReading(path)
        let size = try await file.status().size
        let range = range ?? 0..<size
        var md5 = RunningMD5()
        for try await chunk in FileChunks(file: file, range: range, chunkSize: 1 << 20, digest: nil) {
            md5.update(chunk)
        }
        return md5.hex()
    }
}
