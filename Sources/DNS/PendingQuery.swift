#if canImport(Glibc)
    import Glibc
#endif
import Hostnames
import Synchronization

/// How a query handed to a channel ended, before the reply is parsed.
enum QueryResult: Sendable {
    /// A reply came: its bytes, and the time from sending to reading it.
    case reply([UInt8], elapsed: Duration)
    /// No reply could be used.
    case failure(Outcome, detail: String, elapsed: Duration)
    /// The caller cancelled; the query was abandoned.
    case cancelled
}

/// One query on its way through a channel: its question, its deadline, and a completion that runs once.
///
/// `finish` may race from the event-loop thread (reply, timeout, deadline, shutdown) and from a cancelling
/// task, and exactly one of them wins: the winner is whoever moves `phase` out of idle or armed with a
/// compare-and-exchange. An atomic, not a lock: a bulk resolve makes 200,000 queries, and a lock of its own
/// was a second allocation per query and two lock round trips on the loop thread.
///
/// `@unchecked Sendable`: `completion` and `early` are plain fields handed from one thread to another by
/// `phase` alone. `completion` is written by `arm` before its releasing exchange to armed and read only by
/// the `finish` whose acquiring exchange from armed won; `early` is written only by the `finish` that won
/// the exchange from idle (to finishing) before its releasing store of finished, and read only by `arm`
/// after it has loaded finished with acquiring order. The question and channel change only in `reuse`, on
/// a finished query that no other thread holds any more (see there).
///
/// Unchecked exclusivity on every field: the question and channel are written only in `reuse`, by a sole
/// owner, and `completion` and `early` only as `phase` allows, so no two accesses can overlap; the dynamic
/// check Swift makes on every access to a class's `var` (a `swift_beginAccess` call) cost the loop thread
/// one per field read for every query it sends and every reply it hands over.
final class PendingQuery: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var name: DomainName
    @exclusivity(unchecked) private(set) var type: RecordType
    @exclusivity(unchecked) private(set) var deadline: ContinuousClock.Instant?
    /// The channel it was handed to; the c-ares callback finds its way back through this.
    @exclusivity(unchecked) private(set) var channel: AresChannel?
    private let phase = Atomic<Int>(Phase.idle)
    @exclusivity(unchecked) private var completion: QueryCompletion? = nil
    /// The result of a query that ended before it was armed, for `arm` to return.
    @exclusivity(unchecked) private var early: QueryResult? = nil

    /// The values of `phase`.
    private enum Phase {
        static let idle = 0
        static let armed = 1
        /// A `finish` won before `arm` and is storing its result.
        static let finishing = 2
        static let finished = 3
    }

    init(name: DomainName, type: RecordType, deadline: ContinuousClock.Instant?, channel: AresChannel?) {
        self.channel = channel
        self.name = name
        self.type = type
        self.deadline = deadline
        channel?.census.queryCreated()
    }

    deinit {
        channel?.census.queryFreed()
    }

    /// Makes this finished query new, for another question: a batch reuses its queries rather than make one
    /// per question (two per name in a bulk resolve).
    ///
    /// Only for a query `isKnownUniquelyReferenced` says the caller alone holds: then no other thread can
    /// touch it any more, and whatever the loop thread did with it came before it handed the result over
    /// under the batch inbox's lock.
    func reuse(name: DomainName, type: RecordType, deadline: ContinuousClock.Instant?, channel: AresChannel?) {
        precondition(phase.load(ordering: .acquiring) == Phase.finished, "only a finished query is reused")
        if channel !== self.channel {
            self.channel?.census.queryFreed()
            channel?.census.queryCreated()
            self.channel = channel
        }
        self.name = name
        self.type = type
        self.deadline = deadline
        completion = nil
        early = nil
        phase.store(Phase.idle, ordering: .releasing)
    }

    var isFinished: Bool {
        phase.load(ordering: .acquiring) >= Phase.finishing
    }

    /// Installs the completion; if the query already finished (cancelled early), returns its result instead.
    func arm(_ completion: QueryCompletion) -> QueryResult? {
        self.completion = completion
        let (armed, found) = phase.compareExchange(
            expected: Phase.idle, desired: Phase.armed, ordering: .acquiringAndReleasing
        )
        if armed { return nil }
        precondition(found != Phase.armed, "a query is armed once")
        self.completion = nil
        // The winning `finish` stores its result between finishing and finished: a few instructions.
        while phase.load(ordering: .acquiring) != Phase.finished { sched_yield() }
        defer { early = nil }
        return early
    }

    /// Ends the query with `result` unless it has already ended; returns whether this call ended it.
    @discardableResult
    func finish(_ result: consuming QueryResult) -> Bool {
        var current = phase.load(ordering: .acquiring)
        // Idle moves to finishing (the result is kept for `arm`), armed to finished (the completion runs).
        while current == Phase.idle || current == Phase.armed {
            let wasIdle = current == Phase.idle
            let (won, found) = phase.compareExchange(
                expected: current, desired: wasIdle ? Phase.finishing : Phase.finished,
                ordering: .acquiringAndReleasing
            )
            guard won else {
                current = found
                continue
            }
            if wasIdle {
                early = consume result
                phase.store(Phase.finished, ordering: .releasing)
                return true
            }
            switch completion.take() {
            case .inbox(let inbox, let token): inbox.push(token, consume result, from: channel)
            case .call(let body): body(consume result)
            case nil: break
            }
            return true
        }
        return false
    }
}

/// Where a query's result goes when it ends.
enum QueryCompletion: Sendable {
    /// To a batch's inbox, under the query's token there (no closure, so no allocation per query).
    case inbox(BatchInbox, token: Int)
    case call(@Sendable (QueryResult) -> Void)
}
