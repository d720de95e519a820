import Hostnames

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
/// The completion state is guarded by a mutex, so `finish` may race from the event-loop thread (reply,
/// timeout, deadline, shutdown) and from a cancelling task, and exactly one of them wins.
final class PendingQuery: Sendable {
    let name: DomainName
    let type: RecordType
    let deadline: ContinuousClock.Instant?
    /// The channel it was handed to; the c-ares callback finds its way back through this.
    let channel: AresChannel?
    private let state = Locked<State>(.idle)

    private enum State {
        case idle
        case armed(QueryCompletion)
        case finished(QueryResult?)
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

    var isFinished: Bool {
        state.withLock { if case .finished = $0 { true } else { false } }
    }

    /// Installs the completion; if the query already finished (cancelled early), returns its result instead.
    func arm(_ completion: QueryCompletion) -> QueryResult? {
        state.withLock { state -> QueryResult? in
            switch state {
            case .idle:
                state = .armed(completion)
                return nil
            case .armed:
                preconditionFailure("a query is armed once")
            case .finished(let result):
                state = .finished(nil)
                return result
            }
        }
    }

    /// Ends the query with `result` unless it has already ended; returns whether this call ended it.
    @discardableResult
    func finish(_ result: QueryResult) -> Bool {
        let (won, completion) = state.withLock { state -> (Bool, QueryCompletion?) in
            switch state {
            case .idle:
                state = .finished(result)
                return (true, nil)
            case .armed(let completion):
                state = .finished(nil)
                return (true, completion)
            case .finished:
                return (false, nil)
            }
        }
        switch completion {
        case .inbox(let inbox, let token): inbox.push(token, result, from: channel)
        case .call(let body): body(result)
        case nil: break
        }
        return won
    }
}

/// Where a query's result goes when it ends.
enum QueryCompletion: Sendable {
    /// To a batch's inbox, under the query's token there (no closure, so no allocation per query).
    case inbox(BatchInbox, token: Int)
    case call(@Sendable (QueryResult) -> Void)
}
