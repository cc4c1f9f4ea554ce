import Foundation
import Logging

/// One attempt of a request sent by ``RetryPolicy/run(bodyCanBeSentAgain:logger:_:)``.
struct Attempt {
    /// 1 for the first attempt, 2 for the first retry, …
    var number: Int
    /// Whether an earlier attempt may have reached the server and had its effect without
    /// its success coming back (a dropped connection, a 5xx), so that a DELETE's 404 may
    /// mean it worked.
    var outcomeUnknown: Bool
}

/// What one attempt came to.
enum AttemptOutcome<Value> {
    /// Done: the loop returns this.
    case success(Value)
    /// Send again at once without counting an attempt (after re-authenticating).
    case again
    /// Failed: sent again when ``RetryPolicy/retryDelay(after:attempt:bodyCanBeSentAgain:)``
    /// allows, else `final` is what the loop returns or throws.
    ///
    /// - `request`: the method and URL, for the debug log.
    case failure(RetryPolicy.Failure, request: String, final: Result<Value, any Error>)
}

extension RetryPolicy {
    /// The one retry loop of `CloudFiles`, used by storage requests and identity requests:
    /// runs `attempt` until it succeeds or the policy gives up, logging each retry and
    /// waiting as ``retryDelay(after:attempt:bodyCanBeSentAgain:)`` says.
    ///
    /// - Parameters:
    ///   - bodyCanBeSentAgain: `false` for a one-shot body, which is never retried.
    ///   - logger: where retries are logged (debug).
    ///   - attempt: sends the request once and says what came of it.
    /// - Returns: the first success, or the last failure's `final` value.
    /// - Throws: the last failure's `final` error, or `CancellationError` while waiting.
    func run<Value>(
        bodyCanBeSentAgain: Bool = true,
        logger: Logger,
        _ attempt: (Attempt) async throws -> AttemptOutcome<Value>
    ) async throws -> Value {
        var current = Attempt(number: 1, outcomeUnknown: false)
        while true {
            // Ctrl-C (a cancelled task) ends the loop before another attempt, not after it.
            try Task.checkCancellation()
            switch try await attempt(current) {
            case .success(let value):
                return value
            case .again:
                continue
            case .failure(let failure, let request, let final):
                guard
                    let delay = retryDelay(
                        after: failure, attempt: current.number, bodyCanBeSentAgain: bodyCanBeSentAgain)
                else { return try final.get() }
                if failure.outcomeUnknown { current.outcomeUnknown = true }
                logger.debug(
                    "retrying \(request) after \(failure.reason) in \(String(format: "%.2f", delay.seconds)) s (attempt \(current.number + 1) of \(maxAttempts))"
                )
                try await Task.sleep(for: delay)
                current.number += 1
            }
        }
    }
}
