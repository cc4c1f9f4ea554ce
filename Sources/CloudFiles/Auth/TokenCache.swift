import Foundation
import Logging

/// The one place a client's token lives.
///
/// Every request asks this actor for the session. At most one authentication runs at a
/// time, and every request that needs a token while it runs waits for that same one. When
/// the token's expiry is known, a refresh starts in the background shortly before it, so
/// requests keep going with the old token meanwhile. After a 401 the caller invalidates
/// the token it used; only the first such call drops the session, so many requests failing
/// together cause one re-authentication.
///
/// A request that waits for an authentication stops waiting as soon as its task is
/// cancelled (Ctrl-C), whatever the authentication is doing; when no request waits for it
/// any more, the authentication itself is cancelled.
actor TokenCache {
    private let provider: any AuthProvider
    private let context: AuthContext
    private let refreshMargin: Duration
    private var current: AuthSession?
    /// When `current` was obtained, to scale the refresh margin to short-lived tokens.
    private var obtainedAt: Date?
    private var refreshing: Task<AuthSession, any Error>?
    /// Which authentication `refreshing` is: waiters belong to one, and an authentication
    /// abandoned by all its waiters no longer counts when it ends.
    private var generation = 0
    /// The requests waiting for the authentication of a generation, by waiter number.
    private var waiters: [Int: (generation: Int, continuation: CheckedContinuation<AuthSession, any Error>)] = [:]
    private var nextWaiter = 0
    /// When the last authentication finished, successful or not.
    private var lastRefresh: Date?

    init(provider: any AuthProvider, context: AuthContext, refreshMargin: Duration) {
        self.provider = provider
        self.context = context
        self.refreshMargin = refreshMargin
    }

    /// A session that has not expired, authenticating if there is none.
    func session() async throws -> AuthSession {
        if let current {
            guard let expiresAt = current.expiresAt else { return current }
            let remaining = expiresAt.timeIntervalSinceNow
            if remaining > margin(for: current) { return current }
            if remaining > 0 {
                // Early: refresh in the background and keep using the current token. Not
                // again right after a refresh, though: tempauth hands back the same token
                // until it expires, and asking every request would flood it.
                if refreshing == nil, lastRefresh.map({ -$0.timeIntervalSinceNow > 1 }) ?? true {
                    _ = startRefresh()
                }
                return current
            }
        }
        _ = startRefresh()
        return try await waitForRefresh()
    }

    /// Waits for the running authentication, or until the calling task is cancelled.
    private func waitForRefresh() async throws -> AuthSession {
        let waiter = nextWaiter
        nextWaiter += 1
        let generation = self.generation
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[waiter] = (generation, continuation)
                }
            }
        } onCancel: {
            Task { await self.stopWaiting(waiter) }
        }
    }

    /// A waiter's task was cancelled: it gets a `CancellationError` now, and an
    /// authentication nobody waits for any more is cancelled and forgotten.
    private func stopWaiting(_ waiter: Int) {
        guard let (generation, continuation) = waiters.removeValue(forKey: waiter) else { return }
        continuation.resume(throwing: CancellationError())
        guard generation == self.generation, !waiters.values.contains(where: { $0.generation == generation })
        else { return }
        refreshing?.cancel()
        refreshing = nil
        self.generation += 1
    }

    /// Hands the outcome of authentication `generation` to its waiters.
    private func finish(_ generation: Int, _ result: Result<AuthSession, any Error>) {
        for (waiter, entry) in waiters where entry.generation == generation {
            waiters.removeValue(forKey: waiter)
            entry.continuation.resume(with: result)
        }
    }

    /// Forgets `token` if it is still the current one, so the next ``session()`` call
    /// authenticates again. Tokens already replaced are ignored.
    func invalidate(token: String) {
        guard current?.token == token else { return }
        current = nil
        obtainedAt = nil
    }

    /// The margin before expiry at which to refresh: the configured one, but never more
    /// than a quarter of the token's lifetime, so a 6-second token is not refreshed on
    /// every request.
    private func margin(for session: AuthSession) -> TimeInterval {
        let configured = refreshMargin.seconds
        guard let expiresAt = session.expiresAt, let obtainedAt else { return configured }
        return min(configured, max(expiresAt.timeIntervalSince(obtainedAt), 0) / 4)
    }

    private func startRefresh() -> Task<AuthSession, any Error> {
        if let refreshing { return refreshing }
        let provider = self.provider
        let context = self.context
        let generation = self.generation
        let task = Task<AuthSession, any Error> {
            do {
                let session = try await provider.authenticate(using: context)
                self.store(session, generation: generation)
                return session
            } catch {
                self.refreshFailed(error, generation: generation)
                throw error
            }
        }
        refreshing = task
        return task
    }

    private func store(_ session: AuthSession, generation: Int) {
        defer { finish(generation, .success(session)) }
        // An authentication abandoned by its waiters still got a good token: keep it.
        // The margin is a fraction of what was left when we learnt the expiry. When a
        // refresh hands back the token in use (tempauth does, until it expires), the
        // margin shrinks with it, and the next refresh waits for the real expiry.
        obtainedAt = Date()
        current = session
        lastRefresh = Date()
        guard generation == self.generation else { return }
        refreshing = nil
        self.generation += 1
        context.logger.debug("authenticated: \(session)")
    }

    private func refreshFailed(_ error: any Error, generation: Int) {
        defer { finish(generation, .failure(error)) }
        guard generation == self.generation else { return }
        refreshing = nil
        self.generation += 1
        lastRefresh = Date()
        context.logger.debug("authentication failed: \(RequestLog.shortDescription(error))")
    }
}
