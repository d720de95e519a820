import Hostnames

/// One name to resolve in a batch, with the input line it came from (nil for command-line arguments).
public struct NameJob: Sendable, Hashable {
    public var name: DomainName
    /// The input line, or whatever number the caller needs back: `resolveAll` returns the job unchanged
    /// (`run` passes the name's position in its targets).
    public var line: Int?

    public init(name: DomainName, line: Int? = nil) {
        self.name = name
        self.line = line
    }
}

/// Everything a batch learnt about one name: every lookup, per round, type and server asked.
public struct NameResolution: Sendable {
    public var job: NameJob
    /// In order of round, then type as asked, then server.
    public var lookups: [RoundLookup]
}

/// A lookup answer and the round it belongs to (1-based).
public struct RoundLookup: Sendable {
    public var round: Int
    public var answer: LookupAnswer

    public init(round: Int, answer: LookupAnswer) {
        self.round = round
        self.answer = answer
    }
}

extension Resolver {
    /// Resolves names as `next` hands them over, `concurrency` names at a time, and passes each finished
    /// name to `each` in completion order; memory stays bounded by the window, not by the input.
    ///
    /// The batch runs on the calling task alone: its queries go to the channels in bundles, their
    /// completions come back through one `BatchInbox`, and replies are parsed here. (A task per name, an
    /// `async let` per type and a continuation per query cost more CPU than c-ares and the kernel
    /// together.) Unless `callbacksMayWait`, the task runs on the loop thread of the first server's first
    /// channel, between the loop's passes (see `AresChannel`'s `TaskExecutor` conformance), and so do
    /// `next` and `each`. The answers are the ones `resolve(_:types:rounds:deadline:)` gives.
    ///
    /// - Parameters:
    ///   - types: the record types to ask for each name, asked concurrently.
    ///   - rounds: how often each name is asked (rounds catch round-robin rotation).
    ///   - deadline: when everything unfinished ends as `timeout`.
    ///   - concurrency: names in flight; defaults to `queueDepth` windows per channel, so a channel always
    ///     has queries waiting when a reply frees a slot, while this task is still busy with earlier replies.
    ///   - callbacksMayWait: whether `next` or `each` can wait on another process (read a pipe, write to
    ///     one). The batch then runs where the caller's task runs, not on a loop thread, so that such a wait
    ///     holds up the batch alone: the loop keeps reading replies as they come, and their elapsed times
    ///     stay true.
    ///   - next: the next name, or nil at the end of the input; called on this task only.
    ///   - each: called on this task for every finished name.
    /// - Throws: what `next` or `each` throw, or `CancellationError`; the queries in flight are abandoned.
    public func resolveAll(
        types: [RecordType], rounds: Int = 1, deadline: ContinuousClock.Instant?, concurrency: Int? = nil,
        callbacksMayWait: Bool = false, next: () throws -> NameJob?, each: (NameResolution) throws -> Void
    ) async throws {
        try await resolveAll(
            types: types, rounds: rounds, deadline: deadline, concurrency: concurrency,
            callbacksMayWait: callbacksMayWait, arrival: nil,
            next: { try next().map(NextName.name) ?? .end }, beforeWaiting: {}, each: each
        )
    }

    /// `resolveAll` for input that arrives at its own pace (a pipe, a terminal): `next` can say `.notYet`, and
    /// the batch then goes on with the names it has until `arrival` is signalled, so each name is asked as it
    /// comes rather than when a later one does.
    ///
    /// - Parameters:
    ///   - nameTimeLimit: how long each name has from when the batch takes it from `next`, besides (and
    ///     within) `deadline`: for input that arrives over a long time, where a deadline for the whole batch
    ///     would end the names that come late at once.
    ///   - arrival: signalled (from any thread) when input that `next` said was not there yet has come; needed
    ///     whenever `next` can say `.notYet`.
    ///   - beforeWaiting: called on this task each time the batch has nothing to do until a reply, the
    ///     deadline or `arrival`: where output that was held back to be written in blocks is written, so that
    ///     what is finished is seen while the batch waits.
    public func resolveAll(
        types: [RecordType], rounds: Int = 1, deadline: ContinuousClock.Instant?, concurrency: Int? = nil,
        nameTimeLimit: Duration? = nil, callbacksMayWait: Bool = false, arrival: InputArrival?,
        next: () throws -> NextName, beforeWaiting: () throws -> Void, each: (NameResolution) throws -> Void
    ) async throws {
        guard !types.isEmpty else {
            let inbox = BatchInbox()  // nothing is asked: it only waits for input
            arrival?.attach(inbox)
            defer { arrival?.attach(nil) }
            var none: [(token: Int, result: QueryResult)] = []
            while true {
                switch try next() {
                case .name(let job): try each(NameResolution(job: job, lookups: []))
                case .end: return
                case .notYet:
                    precondition(arrival != nil, "next said notYet, and no InputArrival can wake the batch")
                    let cancelled = try await withTaskCancellationHandler {
                        try await inbox.take(into: &none, beforeWaiting: beforeWaiting)
                    } onCancel: {
                        inbox.cancel()
                    }
                    if cancelled { throw CancellationError() }
                }
            }
        }
        // No preference (nil) leaves the task where it runs.
        try await withTaskExecutorPreference(callbacksMayWait ? nil : batchExecutor) {
            try await runBatch(
                types: types, rounds: rounds, deadline: deadline, concurrency: concurrency,
                nameTimeLimit: nameTimeLimit, arrival: arrival, next: next, beforeWaiting: beforeWaiting, each: each
            )
        }
    }

    /// `resolveAll`'s batch, on whatever runs the task.
    private func runBatch(
        types: [RecordType], rounds: Int, deadline: ContinuousClock.Instant?, concurrency: Int?,
        nameTimeLimit: Duration?, arrival: InputArrival?, next: () throws -> NextName,
        beforeWaiting: () throws -> Void, each: (NameResolution) throws -> Void
    ) async throws {
        let channels = max(1, configuration.channelsPerServer)
        let limit = max(1, concurrency ?? Self.queueDepth * configuration.window * channels)
        var batch = Batch(
            resolver: self, types: types, rounds: max(1, rounds), deadline: deadline, nameTimeLimit: nameTimeLimit
        )
        var done: [(token: Int, result: QueryResult)] = []
        arrival?.attach(batch.inbox)
        defer { arrival?.attach(nil) }
        do {
            var exhausted = false
            while true {
                filling: while !exhausted && batch.namesInFlight < limit {
                    switch try next() {
                    case .name(let job): batch.start(job)
                    case .end: exhausted = true
                    case .notYet:
                        precondition(arrival != nil, "next said notYet, and no InputArrival can wake the batch")
                        break filling
                    }
                }
                batch.send()
                // Nothing in flight and more input to come: the wait below is for `arrival`.
                guard batch.namesInFlight > 0 || !exhausted else { break }
                let inbox = batch.inbox
                let cancelled = try await withTaskCancellationHandler {
                    try await inbox.take(into: &done, beforeWaiting: beforeWaiting)
                } onCancel: {
                    inbox.cancel()
                }
                if cancelled { throw CancellationError() }
                for index in done.indices {
                    // Each result moved out, not copied: a copy retains its reply (and the list is emptied
                    // before its next use anyway). Borrowed where it lay, it was copied all the same.
                    var result = QueryResult.cancelled
                    swap(&result, &done[index].result)
                    if let finished = batch.complete(done[index].token, consume result) { try each(finished) }
                }
            }
        } catch {
            batch.abandonAll()
            throw error
        }
    }

    /// Windows of names a batch keeps in flight per channel by default: enough that a channel still has
    /// queries waiting when a pass of its loop frees a whole window of slots while this task is busy with
    /// the replies before, for a few hundred names in memory.
    static let queueDepth = 4

    /// Resolves one name: every round, every type (concurrently), every server the mode asks.
    public func resolve(
        _ job: NameJob, types: [RecordType], rounds: Int = 1, deadline: ContinuousClock.Instant?
    ) async throws -> NameResolution {
        var lookups: [RoundLookup] = []
        for round in 1...max(1, rounds) {
            if types.count == 2 {
                async let first = lookup(job.name, types[0], deadline: deadline)
                async let second = lookup(job.name, types[1], deadline: deadline)
                let (a, b) = try await (first, second)
                lookups += (a + b).map { RoundLookup(round: round, answer: $0) }
            } else {
                for type in types {
                    lookups += try await lookup(job.name, type, deadline: deadline).map {
                        RoundLookup(round: round, answer: $0)
                    }
                }
            }
        }
        return NameResolution(job: job, lookups: lookups)
    }
}

/// Completed queries of one batch, handed from the channels' loop threads to the task that runs it.
final class BatchInbox: Sendable {
    private struct State: Sendable {
        var done: [(token: Int, result: QueryResult)] = []
        var waiter: CheckedContinuation<Void, Never>? = nil
        var cancelled = false
        /// Whether input arrived (`InputArrival`) since the batch last took its results.
        var inputArrived = false
    }

    private let state = Locked(State())

    /// Called as a query ends. On `channel`'s loop thread (mostly) the result is delivered with the rest
    /// of the loop's pass (`AresChannel.deliverAtPassEnd`); elsewhere at once, waking the batch if it waits.
    func push(_ token: Int, _ result: consuming QueryResult, from channel: AresChannel?) {
        if let channel, channel.isLoopThread {
            channel.deliverAtPassEnd(token, consume result, to: self)
            return
        }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done.append((token, result))
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Takes every result in `results` (left empty) under one lock and wakes the batch if it waits.
    func push(takingAll results: inout [(token: Int, result: QueryResult)]) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.done.isEmpty {
                swap(&state.done, &results)  // the list changes hands whole: no result is copied
            } else {
                state.done.append(contentsOf: results)
            }
            return state.waiter.take()
        }
        results.removeAll(keepingCapacity: true)
        waiter?.resume()
    }

    /// Called when the batch's task is cancelled; wakes the batch if it waits.
    func cancel() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.cancelled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Called when input arrived that the batch was told was not there yet; wakes the batch if it waits.
    func inputArrived() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inputArrived = true
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Waits until a query ended, input arrived or the task was cancelled; puts every ended query so far in
    /// `taken` (emptied first) and returns whether the task was cancelled. `taken`'s storage becomes the
    /// inbox's next list, so a batch's lists are made once, not once per wake-up. `beforeWaiting` is called
    /// once, when there is nothing to take yet.
    func take(
        into taken: inout [(token: Int, result: QueryResult)], beforeWaiting: () throws -> Void = {}
    ) async rethrows -> Bool {
        taken.removeAll(keepingCapacity: true)
        var calledBeforeWaiting = false
        while true {
            let cancelled = state.withLock { state -> Bool? in
                guard !state.done.isEmpty || state.cancelled || state.inputArrived else { return nil }
                state.inputArrived = false
                swap(&state.done, &taken)
                return state.cancelled
            }
            if let cancelled { return cancelled }
            if !calledBeforeWaiting {
                calledBeforeWaiting = true
                try beforeWaiting()  // what came meanwhile is seen by the check below, under the lock
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    guard state.done.isEmpty && !state.cancelled && !state.inputArrived else { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }
}

/// The state of one `resolveAll`: the names in flight, their queries, and the queries not yet handed over.
private struct Batch {
    /// A name in flight: its lookups so far (its current round's answers wait in `answers`, its counters in
    /// `progress`).
    struct NameState {
        var job: NameJob
        var lookups: [RoundLookup] = []
    }

    /// A name's round, and its queries not yet answered in that round: kept apart from `NameState`, in a
    /// table of plain numbers, because reading a field through `Slots` copies the whole value, job and
    /// lookups (three reference counts and their releases).
    struct NameProgress {
        var round = 1
        var open = 0
    }

    /// A query in flight: whose, which type and server, and the query itself (to abandon it).
    struct QueryState {
        var name: Int
        var type: Int
        var server: Int
        var pending: PendingQuery
        /// Asked on the server's TCP channel, its UDP reply having come truncated.
        var overTCP = false
    }

    let resolver: Resolver
    let types: [RecordType]
    let rounds: Int
    let deadline: ContinuousClock.Instant?
    /// How long each name has from when the batch takes it, if the names are bounded one by one.
    let nameTimeLimit: Duration?
    /// `nameTimeLimit != nil`, read once: a `Duration` is a resilient type, compared through its witnesses.
    private let boundsEachName: Bool
    let inbox = BatchInbox()
    /// The configuration's servers and mode, read once.
    private let serverList: [ServerAddress]
    private let failover: Bool
    private var names = Slots<NameState>()
    private var queries = Slots<QueryState>()
    /// The current round's answers of every name in flight: `slotsPerName` slots from `index * slotsPerName`
    /// for the name at `index` in `names`, per type then per server (`type * servers + server`). One table
    /// for the batch, not a list per name.
    private var answers: [LookupAnswer?] = []
    /// Per index in `names`, that name's progress.
    private var progress: [NameProgress] = []
    /// Per index in `names`, that name's deadline, when the names are bounded one by one (`nameTimeLimit`):
    /// apart from `progress`, because a deadline is a resilient type, copied through its value witnesses,
    /// and carried in every name's progress it cost a bulk resolve a tenth more CPU.
    private var nameDeadlines: [ContinuousClock.Instant?] = []
    private var replyScratch = ReplyScratch()
    /// Finished queries no other thread holds any more, to ask the next questions with (`PendingQuery.reuse`).
    private var spareQueries: [PendingQuery] = []
    private let slotsPerName: Int
    /// Per channel, the queries asked since the last `send` (a list: a resolver has a few channels), in the
    /// form the channel takes whole, and the reply buffers read since, to go back with them
    /// (`AresChannel.submit(takingAll:earliestDeadline:returning:)`).
    private var unsent: [(channel: AresChannel, queries: [PendingQuery?], spentReplies: [[UInt8]])] = []
    private(set) var namesInFlight = 0

    init(
        resolver: Resolver, types: [RecordType], rounds: Int, deadline: ContinuousClock.Instant?,
        nameTimeLimit: Duration?
    ) {
        self.resolver = resolver
        self.types = types
        self.rounds = rounds
        self.deadline = deadline
        self.nameTimeLimit = nameTimeLimit
        boundsEachName = nameTimeLimit != nil
        serverList = resolver.configuration.servers
        failover = resolver.configuration.mode == .failover
        slotsPerName = types.count * serverList.count
    }

    mutating func start(_ job: NameJob) {
        var lookups: [RoundLookup] = []
        lookups.reserveCapacity(slotsPerName * rounds)
        let name = job.name
        let index = names.insert(NameState(job: job, lookups: lookups))
        let needed = (index + 1) * slotsPerName
        if answers.count < needed { answers.append(contentsOf: repeatElement(nil, count: needed - answers.count)) }
        if progress.count <= index {
            progress.append(contentsOf: repeatElement(NameProgress(), count: index + 1 - progress.count))
        }
        progress[index] = NameProgress()
        if boundsEachName, let nameTimeLimit {
            if nameDeadlines.count <= index {
                nameDeadlines.append(contentsOf: repeatElement(nil, count: index + 1 - nameDeadlines.count))
            }
            nameDeadlines[index] = earlierDeadline(.now + nameTimeLimit, deadline)
        }
        namesInFlight += 1
        startRound(index, name: name)
    }

    /// Asks every type of the name's current round: every server (union) or the first (failover).
    /// The name is passed along, not read from `names`: see `NameProgress`.
    private mutating func startRound(_ index: Int, name: DomainName) {
        for type in types.indices {
            if failover {
                ask(index, name: name, type: type, server: 0)
            } else {
                for server in serverList.indices { ask(index, name: name, type: type, server: server) }
            }
        }
    }

    private mutating func ask(_ index: Int, name: DomainName, type: Int, server: Int, overTCP: Bool = false) {
        let channel = overTCP ? resolver.tcpChannel(forServer: server) : resolver.channel(forServer: server)
        let deadline = boundsEachName ? nameDeadlines[index] : deadline
        let pending: PendingQuery
        if let spare = spareQueries.popLast() {
            spare.reuse(name: name, type: types[type], deadline: deadline, channel: channel)
            pending = spare
        } else {
            pending = PendingQuery(name: name, type: types[type], deadline: deadline, channel: channel)
        }
        let token = queries.insert(
            QueryState(name: index, type: type, server: server, pending: pending, overTCP: overTCP)
        )
        progress[index].open += 1
        if let early = pending.arm(.inbox(inbox, token: token)) {
            inbox.push(token, early, from: nil)
            return
        }
        if let bundle = unsent.firstIndex(where: { $0.channel === channel }) {
            unsent[bundle].queries.append(pending)
        } else {
            unsent.append((channel, [pending], []))
        }
    }

    /// Keeps a reply buffer that has been read for `channel` to copy a later reply into.
    private mutating func giveBack(_ bytes: consuming [UInt8], to channel: AresChannel?) {
        // A large buffer (a long TCP reply) is let go rather than kept for the small replies that follow.
        guard let channel, bytes.capacity <= 4 * AresChannel.replyBufferCapacity else { return }
        if let bundle = unsent.firstIndex(where: { $0.channel === channel }) {
            unsent[bundle].spentReplies.append(consume bytes)
        } else {
            unsent.append((channel, [], [consume bytes]))
        }
    }

    /// Hands the queries asked since the last call to their channels, one bundle (and wake-up) per channel.
    mutating func send() {
        for index in unsent.indices where !unsent[index].queries.isEmpty {
            let channel = unsent[index].channel
            var spentReplies: [[UInt8]] = []
            swap(&spentReplies, &unsent[index].spentReplies)  // moved out: two inout parts of one element overlap
            // With a time limit per name, each query has its own deadline (a stream: a few names at a time).
            let earliest =
                boundsEachName ? unsent[index].queries.reduce(nil) { earlierDeadline($0, $1?.deadline) } : deadline
            channel.submit(takingAll: &unsent[index].queries, earliestDeadline: earliest, returning: &spentReplies)
            swap(&spentReplies, &unsent[index].spentReplies)  // its emptied storage back for the next bundle
        }
    }

    /// Records a query's result; returns the name's resolution when that was its last query.
    mutating func complete(_ token: Int, _ result: consuming QueryResult) -> NameResolution? {
        guard var query = queries.remove(at: token) else { return nil }
        // Kept for the next question when no other thread holds it (the loop thread has let go of most by
        // the time their results are read): one allocation per query fewer.
        defer { if isKnownUniquelyReferenced(&query.pending) { spareQueries.append(query.pending) } }
        let answer: LookupAnswer
        switch consume result {  // consumed: the reply buffer is moved out, to go back to its channel
        case .cancelled:
            return nil  // only abandonAll does that, and the batch is over then
        case .failure(let outcome, let detail, let elapsed):
            answer = LookupAnswer(
                name: query.pending.name, type: types[query.type], server: serverList[query.server], outcome: outcome,
                elapsed: elapsed, detail: detail
            )
        case .reply(let bytes, let elapsed):
            if !query.overTCP, Resolver.isTruncated(bytes) {
                giveBack(bytes, to: query.pending.channel)
                progress[query.name].open -= 1
                ask(query.name, name: query.pending.name, type: query.type, server: query.server, overTCP: true)
                return nil
            }
            answer = Resolver.answer(
                reply: bytes, elapsed: elapsed, name: query.pending.name, type: types[query.type],
                server: serverList[query.server], scratch: &replyScratch
            )
            giveBack(bytes, to: query.pending.channel)
        }
        let retry = failover && !answer.outcome.isAnswer && query.server + 1 < serverList.count
        let first = query.name * slotsPerName
        // Answers are moved, never copied, and the name's state changed in place: a copy of an answer is
        // a dozen reference counts.
        answers[first + query.type * serverList.count + query.server] = consume answer
        progress[query.name].open -= 1
        guard progress[query.name].open == 0, !retry else {
            if retry { ask(query.name, name: query.pending.name, type: query.type, server: query.server + 1) }
            return nil
        }
        let round = progress[query.name].round
        for slot in first..<first + slotsPerName {
            if let answer = answers[slot].take() {  // emptied for the next round, or the next name here
                names[query.name]!.lookups.append(RoundLookup(round: round, answer: answer))
            }
        }
        guard round == rounds else {
            progress[query.name].round += 1
            startRound(query.name, name: query.pending.name)
            return nil
        }
        let state = names.remove(at: query.name)!
        namesInFlight -= 1
        return NameResolution(job: state.job, lookups: state.lookups)
    }

    /// Ends every query in flight as cancelled and frees its window slot at once.
    mutating func abandonAll() {
        for case let query? in queries.all where query.pending.finish(.cancelled) {
            query.pending.channel?.abandon(query.pending)
        }
        queries.removeAll()
        unsent.removeAll()
    }
}
