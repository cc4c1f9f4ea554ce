// libFuzzer harness: JSON replies (the /info capabilities, identity replies) never trap.
import Foundation
import NIOCore
@testable import CloudFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    _ = try? Capabilities(json: bytes)
    if let object = IdentityJSON.object(ByteBuffer(data: bytes)) {
        _ = IdentityJSON.data(object)
    }
    _ = IdentityJSON.serverMessage(ByteBuffer(data: bytes), hiding: ["secret"])
    return 0
}
