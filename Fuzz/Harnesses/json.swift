// libFuzzer harness: JSON replies (listings, the /info capabilities, identity replies and
// service catalogs) never trap.
import Foundation
import NIOCore

@testable import CloudFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    _ = try? Capabilities(json: bytes)
    // A listing page is decoded exactly as the client decodes one.
    _ = try? JSONDecoder().decode([ObjectJSON].self, from: bytes).map(\.entry)
    _ = try? JSONDecoder().decode([ContainerJSON].self, from: bytes).map(\.record)
    _ = try? ServiceCatalog(keystoneV3: bytes)
    _ = try? ServiceCatalog(identityV2: bytes)
    if let object = IdentityJSON.object(ByteBuffer(data: bytes)) {
        _ = IdentityJSON.data(object)
    }
    _ = IdentityJSON.serverMessage(ByteBuffer(data: bytes), hiding: ["secret"])
    return 0
}
