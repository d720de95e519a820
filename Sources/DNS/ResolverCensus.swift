import Synchronization

/// How many engine objects of one resolver are still alive: channel loops not yet torn down, and
/// queries not yet freed.
///
/// A resolver that shut down cleanly leaves both at zero; tests read them after `withResolver`
/// returns to show that no fault (a silent server, a cancelled lookup, a reply c-ares never hands
/// back) leaves a thread, a socket or a query behind.
final class ResolverCensus: Sendable {
    private let channels = Atomic<Int>(0)
    private let queries = Atomic<Int>(0)

    init() {}

    /// Channels whose event-loop thread has started and not yet finished tearing down.
    var liveChannels: Int { channels.load(ordering: .acquiring) }

    /// `PendingQuery` instances not yet deinitialised.
    var liveQueries: Int { queries.load(ordering: .acquiring) }

    func channelStarted() { channels.add(1, ordering: .releasing) }
    func channelStopped() { channels.subtract(1, ordering: .releasing) }
    func queryCreated() { queries.add(1, ordering: .releasing) }
    func queryFreed() { queries.subtract(1, ordering: .releasing) }
}
