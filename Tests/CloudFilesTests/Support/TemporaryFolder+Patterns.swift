import CFSHTestSupport
import Crypto
import Foundation
import NIOCore

/// Large files for the transfer tests, in a CFSHTestSupport folder.
extension TemporaryFolder {
    /// Writes `size` bytes of a repeating 1 MiB pattern without holding them in memory,
    /// and returns their MD5.
    @discardableResult
    func writePattern(_ name: String, size: Int64, seed: UInt64 = 7) throws -> String {
        let block = Array(ByteBuffer.pattern(min(Int(size), 1 << 20), seed: seed).readableBytesView)
        _ = FileManager.default.createFile(atPath: file(name), contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file(name)))
        defer { try? handle.close() }
        var md5 = Insecure.MD5()
        var left = size
        while left > 0 {
            let count = Int(min(Int64(block.count), left))
            let slice = block[0..<count]
            md5.update(data: slice)
            try handle.write(contentsOf: slice)
            left -= Int64(count)
        }
        return md5.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The MD5 of a file, read in 1 MiB chunks.
    static func md5(ofFile path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var md5 = Insecure.MD5()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            md5.update(data: data)
        }
        return md5.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Hex MD5 of bytes in memory.
func md5Hex(_ bytes: some Sequence<UInt8>) -> String {
    Insecure.MD5.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
}
