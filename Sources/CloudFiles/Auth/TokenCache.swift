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
actor TokenCache {
    private let provider: any AuthProvider
    private let context: AuthContext
    private let refreshMargin: Duration
    private var current: AuthSession?
    /// When `current` was obtained, to scale the refresh margin to short-lived tokens.
    private var obtainedAt: Date?
    private var refreshing: Task<AuthSession, any Error>?
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
        return try await startRefresh().value
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
        let task = Task<AuthSession, any Error> {
            do {
                let session = try await provider.authenticate(using: context)
                self.store(session)
                return session
            } catch {
                self.refreshFailed(error)
                throw error
            }
        }
        refreshing = task
        return task
    }

    private func store(_ session: AuthSession) {
        // The margin is a fraction of what was left when we learnt the expiry. When a
        // refresh hands back the token in use (tempauth does, until it expires), the
        // margin shrinks with it, and the next refresh waits for the real expiry.
        obtainedAt = Date()
        current = session
        refreshing = nil
        lastRefresh = Date()
        context.logger.debug("authenticated: \(session)")
    }

    private func refreshFailed(_ error: any Error) {
        refreshing = nil
        lastRefresh = Date()
        context.logger.debug("authentication failed: \(RequestLog.shortDescription(error))")
    }
}
