import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP port on 127.0.0.1 that never answers: the kernel completes each connection (the
/// socket listens but never accepts), and a request sent on it waits for a reply that never
/// comes. With `listening: false` the port is bound but not listening, so a connection to
/// it is refused at once, and no other process can take the port meanwhile.
public final class Blackhole: @unchecked Sendable {
    public let port: Int
    // Closed once, by `close()`.
    private var fd: Int32

    public init(listening: Bool = true) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw HostileServerError(message: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, !listening || listen(fd, 64) == 0 else {
            let message = String(cString: strerror(errno))
            closeSocket(fd)
            throw HostileServerError(message: "bind/listen: \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until a connection waits to be accepted (a client is now hanging on the port);
    /// false after `timeout`.
    public func waitForConnection(timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 0) > 0 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Closes the socket; connections waiting on it are reset.
    public func close() {
        guard fd >= 0 else { return }
        closeSocket(fd)
        fd = -1
    }

    deinit { close() }
}

private func closeSocket(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}
