// libFuzzer harness: header values from a server (dates, numbers, Retry-After) never trap.
// Input: lines of "Name: value"; each value also goes through every single-value parser.
import Foundation
import NIOHTTP1

@testable import CloudFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var headers = HTTPHeaders()
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let value: String
        if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) { headers.add(name: name, value: value) }
        } else {
            value = String(line)
        }
        _ = HTTPDate.parse(value)
        _ = HTTPDate.parseISO8601(value)
        _ = RetryPolicy.parseRetryAfter(value, now: Date(timeIntervalSince1970: 1_700_000_000))
        _ = WireNumber.count(value)
        _ = WireNumber.date(secondsSince1970: value)
        if let seconds = WireNumber.seconds(value) { _ = WireNumber.duration(seconds: seconds) }
    }
    let info = ObjectInfo(container: "c", name: "o", headers: headers)
    _ = info.lastModified
    return 0
}
