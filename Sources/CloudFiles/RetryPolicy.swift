import Foundation

/// When and how a failed request is sent again: jittered exponential backoff, bounded.
///
/// A request is retried when the server answers 5xx, 408, 429 or 498 (Swift's rate
/// limiter), or when the connection drops or times out, and only when its body can be sent
/// again (no body, bytes in memory, or a file; not a one-shot stream). A `Retry-After`
/// header is honoured up to ``maxRetryAfter``. A 401 is not a retry: it re-authenticates
/// once, separately. A refused connection and an unknown host are never retried: a second
/// try a second later meets the same answer, so they fail at once. A connection that timed
/// out is tried at most ``maxConnectTimeoutAttempts`` times: each try already waited the
/// whole connect timeout.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a request may be sent in all, counting the first (1 = never retry).
    public var maxAttempts: Int
    /// The delay before the first retry; each further retry doubles it.
    public var baseDelay: Duration
    /// The longest delay between two attempts, before jitter.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; longer requests fail instead of waiting.
    public var maxRetryAfter: Duration
    /// How many times in all a request whose connection timed out is tried (at most
    /// ``maxAttempts``).
    public var maxConnectTimeoutAttempts: Int

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: attempts in all, at least 1.
    ///   - baseDelay: the first backoff.
    ///   - maxDelay: the cap on one backoff.
    ///   - maxRetryAfter: the cap on an honoured `Retry-After`.
    ///   - maxConnectTimeoutAttempts: the tries in all when the connection times out.
    public init(
        maxAttempts: Int = 6,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(32),
        maxRetryAfter: Duration = .seconds(120),
        maxConnectTimeoutAttempts: Int = 2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.maxConnectTimeoutAttempts = max(1, maxConnectTimeoutAttempts)
    }

    /// Six attempts, waiting from 1 s doubling to 16 s (about 23 s in all, jittered), as
    /// python-swiftclient does: long enough to ride out an overloaded proxy's 10 s backend
    /// timeouts, short enough that a dead server is reported within half a minute.
    public static let `default` = RetryPolicy()

    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Why an attempt failed, as ``retryDelay(after:attempt:bodyCanBeSentAgain:)`` judges it.
    public enum Failure {
        /// The server answered with a status other than 2xx, and perhaps a `Retry-After`.
        case status(Int, retryAfter: String?)
        /// No usable reply came: the error as ``CloudFilesError`` (or `CancellationError`).
        case transport(any Error)
        /// An upload's bytes as sent differ from what the server stored.
        case checksumMismatch

        /// A few words for the debug log: the status, or the error.
        var reason: String {
            switch self {
            case .status(let status, _): return "\(status)"
            case .transport(let error): return RequestLog.shortDescription(error)
            case .checksumMismatch: return "a checksum mismatch"
            }
        }

        /// Whether the request may have reached the server and had its effect even though
        /// no success came back: a dropped connection, or a 5xx.
        var outcomeUnknown: Bool {
            switch self {
            case .status(let status, _): return status >= 500
            case .transport: return true
            case .checksumMismatch: return false
            }
        }
    }

    /// The one retry decision of `CloudFiles`: whether a failed attempt is sent again, and
    /// after how long.
    ///
    /// Sent again: a status ``isRetryable(status:)`` says may change (honouring its
    /// `Retry-After` up to ``maxRetryAfter``), a dropped or timed-out connection (a connect
    /// timeout up to ``maxConnectTimeoutAttempts``), and an upload whose checksum did not
    /// match; never a refused connection or an unknown host, never a request whose body
    /// cannot be produced again, and never once ``maxAttempts`` have been made.
    ///
    /// - Parameters:
    ///   - failure: what went wrong with the attempt.
    ///   - attempt: how many attempts have failed so far (1 after the first).
    ///   - bodyCanBeSentAgain: `false` for a one-shot body, which is never retried.
    /// - Returns: the wait before the next attempt, or `nil` to give up.
    public func retryDelay(after failure: Failure, attempt: Int, bodyCanBeSentAgain: Bool = true) -> Duration? {
        guard bodyCanBeSentAgain else { return nil }
        switch failure {
        case .status(let status, let retryAfter):
            guard Self.isRetryable(status: status) else { return nil }
            return delay(afterAttempt: attempt, retryAfter: retryAfter.flatMap { Self.parseRetryAfter($0) })
        case .transport(let error):
            guard Self.isRetryable(error: error) else { return nil }
            if let error = error as? CloudFilesError, error.isConnectFailure, error == .timeout,
                attempt >= maxConnectTimeoutAttempts
            {
                return nil
            }
            return delay(afterAttempt: attempt)
        case .checksumMismatch:
            return delay(afterAttempt: attempt)
        }
    }

    /// Whether a transport error means the connection dropped or timed out, so that sending
    /// the request again may succeed. A refused connection, an unknown host, a TLS failure
    /// and a cancellation are final.
    static func isRetryable(error: any Error) -> Bool {
        guard let error = error as? CloudFilesError else { return false }
        if error == .connectionRefused || error == .unknownHost { return false }
        return error.isNetworkError
    }

    /// Whether a reply with this status is worth sending again.
    public static func isRetryable(status: Int) -> Bool {
        switch status {
        case 408, 429, 498: return true
        case 501, 505: return false  // will not change on a second try
        case 500...599: return true
        default: return false
        }
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed attempts.
    ///
    /// - Parameters:
    ///   - attempt: how many attempts have failed so far (1 after the first).
    ///   - retryAfter: the server's `Retry-After`, if any.
    /// - Returns: the delay, or `nil` when no further attempt should be made.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            guard retryAfter <= maxRetryAfter else { return nil }
            // A little jitter above what the server asked, so waiters do not return together.
            return retryAfter + .milliseconds(Int.random(in: 0...250))
        }
        let exponent = min(attempt - 1, 30)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        // "Equal jitter": half fixed, half random, so there is always some backoff.
        let half = ceiling / 2
        return half + half * Double.random(in: 0...1)
    }

    /// Parses a `Retry-After` value: delay seconds, or an HTTP date.
    ///
    /// A wait longer than a day is returned as a day: longer than any ``maxRetryAfter``, so
    /// the request fails instead of waiting, and no value can overflow a `Duration`.
    ///
    /// - Returns: the wait, or `nil` for a negative, non-finite or unreadable value.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = WireNumber.seconds(trimmed) {
            return WireNumber.duration(seconds: seconds)
        }
        if let date = HTTPDate.parse(trimmed) {
            return WireNumber.duration(seconds: max(0, date.timeIntervalSince(now)))
        }
        return nil
    }
}
