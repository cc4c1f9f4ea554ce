import Foundation

/// Runs the recursive front end (lexer, parser, checker) on a thread of its own.
///
/// They recurse once per nesting level, and a debug build spends about 11 KiB of
/// stack per `{` level, so the 512 KiB stack of a Swift concurrency thread held
/// only about 45 levels. On a thread with a stack of known size, the nesting
/// limit holds with a wide margin whatever thread the caller is on.
public enum FrontEndThread {
    public static let stackSize = 16 << 20

    public static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let result = withoutActuallyEscaping(body) { body in
            let work = UncheckedBox<(() throws(E) -> T)?>(body)
            let outcome = UncheckedBox<Result<T, E>?>(nil)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                outcome.value = Result { () throws(E) -> T in try work.value!() }
                // `body` must not outlive this call (withoutActuallyEscaping checks), while
                // the Thread may keep this closure, and so `work`, a little longer.
                work.value = nil
                done.signal()
            }
            thread.stackSize = stackSize
            thread.start()
            done.wait()
            return outcome.value!
        }
        return try result.get()
    }
}

/// Hands a value to the front-end thread; the semaphore orders every access.
private final class UncheckedBox<Value>: @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}
