import CAres
import Foundation
import Hostnames

/// Settings of one c-ares channel, which talks to exactly one server.
struct ChannelSettings: Sendable {
    var server: ServerAddress
    /// The first attempt's timeout; c-ares doubles it on each further pass.
    var timeout: Duration
    /// Attempts per query (c-ares "tries").
    var tries: Int
    /// Queries this channel keeps on the wire at once; the rest wait in order.
    var window: Int
    /// Whether every query goes over TCP: the channel for replies that came truncated over UDP (see
    /// `Resolver.isTruncated`). A UDP channel hands truncated replies back instead of asking again over TCP.
    var overTCP = false
}

/// One c-ares channel and the event-loop thread that drives it.
///
/// The thread sleeps in `epoll_wait` on the sockets c-ares asks for (through its socket-state callback)
/// and on an eventfd that other threads write to when they hand it work; it wakes for c-ares's next
/// timeout or the nearest deadline, never on a timer of its own. Every `ares_*` call happens on that
/// thread, and none from inside a c-ares callback except reading the reply.
///
/// The channel is also a task executor: a batch (`Resolver.resolveAll`) runs on its loop thread, between
/// the loop's passes (see `enqueue`).
///
/// `@unchecked Sendable`: the loop-thread state (`loop`) is touched only by the loop thread; what other
/// threads hand over goes through `inbox`, a mutex-guarded queue, followed by a write to the eventfd.
final class AresChannel: @unchecked Sendable {
    let settings: ChannelSettings
    /// Counts this channel's loop and its queries while they live.
    let census: ResolverCensus
    private let inbox = Locked(Inbox())
    private let wakeFD: Int32
    /// The batched UDP sends and reads c-ares's sockets go through (`egressmap_batched_io`, CAres.h).
    private let batchedIO: OpaquePointer
    /// Unchecked exclusivity, here and on `outgoing`: both are touched by the loop thread alone (after
    /// `init`), so no two accesses can overlap across threads, and the dynamic check Swift makes on every
    /// access to a class's stored property (`swift_beginAccess`, a thread-local access set) cost about 2%
    /// of the loop thread's samples at 100,000 names. Within the thread, no access is held across a call
    /// into c-ares except `outgoing`'s in `pump`, and the callbacks c-ares makes then touch only `loop`.
    @exclusivity(unchecked) private var loop: LoopState
    /// The query being sent, built on the loop thread just before `ares_send` copies it (apart from `loop`,
    /// whose parts a send that fails at once changes while this is read).
    @exclusivity(unchecked) private var outgoing = [UInt8](repeating: 0, count: QueryMessage.maxLength)
    private let exit = Locked(ExitState.running)

    private enum ExitState {
        case running
        case awaited(CheckedContinuation<Void, Never>)
        case exited
    }

    private struct Inbox {
        /// Optional only so the loop can move each query out without reference counting (see `pump`).
        var submitted: [PendingQuery?] = []
        var abandoned: [PendingQuery] = []
        /// Reply buffers a batch has finished reading, handed back with its next queries (see `completed`).
        var spentReplies: [[UInt8]] = []
        /// The earliest deadline of the queries in `submitted`, told by whoever submitted them.
        var earliestDeadline: ContinuousClock.Instant? = nil
        var stopping = false
        /// Jobs of tasks that prefer this channel as their executor, for the loop to run (see `enqueue`).
        var jobs: [UnownedJob] = []
        /// Set as the loop exits: jobs enqueued from then on go to the global executor.
        var closed = false
    }

    /// State owned by the loop thread.
    private struct LoopState {
        var channel: ares_channel?
        var epollFD: Int32
        var watched: [ares_socket_t: UInt32] = [:]
        /// Queries not sent yet, from `waitingHead` on; each is moved out (leaving nil) as it is sent.
        var waiting: [PendingQuery?] = []
        var waitingHead = 0
        /// The queries c-ares has, each under the slot number its callback gets back (see `SentQueries`).
        var sent = SentQueries()
        var earliestDeadline: ContinuousClock.Instant? = nil
        /// The clock as this pass of the loop began (after `epoll_wait`, or as `pump` began): one reading
        /// serves every query sent and every reply read in the pass.
        var passStart: ContinuousClock.Instant = .now
        /// The window in force: `settings.window` at most, halved on loss (see `adapt`).
        var window: Int
        /// Replies since the window was last adapted, and whether one of them needed a retry.
        var sinceChange = 0
        var lossSeen = false
        /// Results of queries that ended on this thread, per batch inbox, handed over once the events at
        /// hand are handled (see `deliverFinished`).
        var finished: [(inbox: BatchInbox, results: [(token: Int, result: QueryResult)])] = []
        /// An empty list kept from the last delivery for the next pass's results: a new list each pass (its
        /// first allocation is over a kilobyte) had malloc consolidate its fast bins every pass.
        var spareResults: [(token: Int, result: QueryResult)] = []
        /// Empty lists to swap with the inbox's (see `takeInbox`).
        var takenSubmitted: [PendingQuery?] = []
        var takenAbandoned: [PendingQuery] = []
        var takenReplies: [[UInt8]] = []
        /// Empty reply buffers to copy the next replies into (see `completed`).
        var replyBuffers: [[UInt8]] = []
    }

    /// The channel whose loop runs on the calling thread, if any: c-ares callbacks find their channel
    /// through it (their argument is a slot number), and `isLoopThread` tells its own loop thread by it.
    private static let loopKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Runs `body` with the channel whose loop runs on this thread, if any (only c-ares callbacks ask, and
    /// only on a loop thread). Lent, not retained: the loop's channel outlives its loop, and a retain per
    /// reply changed a reference count that the batch's thread changed too (before the batch ran on a loop
    /// thread; it still does for the other channels), about 2% of the loop thread's samples at 100,000 names.
    private static func withChannelOnThisThread(_ body: (AresChannel) -> Void) {
        guard let channel = pthread_getspecific(loopKey) else { return }
        Unmanaged<AresChannel>.fromOpaque(channel)._withUnsafeGuaranteedRef(body)
    }

    private static let libraryStatus: Int32 = egressmap_ares_library_init()

    /// Creates the channel and starts its thread.
    /// - Throws: `DNSError.channel` when c-ares or the kernel refuses.
    init(_ settings: ChannelSettings, census: ResolverCensus = ResolverCensus()) throws(DNSError) {
        guard Self.libraryStatus == ARES_SUCCESS else {
            throw .channel(server: settings.server, reason: "ares_library_init failed (\(Self.libraryStatus))")
        }
        self.settings = settings
        self.census = census
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .channel(server: settings.server, reason: "epoll_create1: errno \(errno)") }
        let wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            close(epollFD)
            throw .channel(server: settings.server, reason: "eventfd: errno \(errno)")
        }
        var wakeEvent = egressmap_epoll_event(UInt32(EPOLLIN.rawValue), wakeFD)
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &wakeEvent)
        guard let batchedIO = egressmap_batched_io_create() else {
            close(epollFD)
            close(wakeFD)
            throw .channel(server: settings.server, reason: "out of memory")
        }
        self.wakeFD = wakeFD
        self.batchedIO = batchedIO
        self.loop = LoopState(epollFD: epollFD, window: settings.window)
        do {
            loop.channel = try makeChannel()
        } catch {
            close(epollFD)
            close(wakeFD)
            egressmap_batched_io_destroy(batchedIO)
            throw error
        }
        census.channelStarted()
        let thread = Thread { [self] in
            pthread_setspecific(Self.loopKey, Unmanaged.passUnretained(self).toOpaque())
            run()
        }
        thread.name = "egressmap-dns \(settings.server)\(settings.overTCP ? " tcp" : "")"
        thread.start()
    }

    private func makeChannel() throws(DNSError) -> ares_channel {
        var options = ares_options()
        // NOCHECKRESP: hand SERVFAIL/REFUSED/NOTIMP replies to us instead of folding them into
        // ECONNREFUSED. No EDNS flag: in 1.18.1 it resends on SERVFAIL/FORMERR and flips EDNS channel-wide.
        // STAYOPEN: without it, 1.18.1 closes the socket whenever its last query ends — at every pass of a
        // bulk resolve that reads a whole window of replies at once, 3,000 times in 100,000 names — and
        // opens (and connects, and registers) a new one for the next query.
        // USEVC or IGNTC: in 1.18.1, a TCP connection the server closes (after a reply it could not parse, say)
        // sends every query in flight to that server again, UDP ones included, each spending a try: one name
        // whose server hangs up on it failed the whole window, and with it a run. So truncated replies are
        // asked again on a TCP channel of their own, where a hang-up touches only other truncated ones.
        options.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_STAYOPEN
            | (settings.overTCP ? ARES_FLAG_USEVC : ARES_FLAG_IGNTC)
        options.timeout = Int32(clamping: settings.timeout.components.seconds * 1000
            + settings.timeout.components.attoseconds / 1_000_000_000_000_000)
        options.tries = Int32(clamping: settings.tries)
        options.ndots = 1
        options.ndomains = 0
        options.domains = nil
        options.sock_state_cb = { data, socket, readable, writable in
            guard let data else { return }
            Unmanaged<AresChannel>.fromOpaque(data).takeUnretainedValue()
                .socketStateChanged(socket, readable: readable != 0, writable: writable != 0)
        }
        options.sock_state_cb_data = Unmanaged.passUnretained(self).toOpaque()
        // No /etc/resolv.conf, no /etc/hosts: the servers are ours, and lookups are DNS only ("b").
        let lookups = strdup("b")
        let resolvConf = strdup("/dev/null")
        defer {
            free(lookups)
            free(resolvConf)
        }
        options.lookups = lookups
        options.resolvconf_path = resolvConf
        let mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_NDOTS | ARES_OPT_DOMAINS
            | ARES_OPT_SOCK_STATE_CB | ARES_OPT_LOOKUPS | ARES_OPT_RESOLVCONF | ARES_OPT_NOROTATE
        var channel: ares_channel? = nil
        let status = ares_init_options(&channel, &options, mask)
        guard status == ARES_SUCCESS, let channel else {
            throw .channel(server: settings.server, reason: String(cString: ares_strerror(status)))
        }
        let serverStatus = ares_set_servers_ports_csv(channel, settings.server.description)
        guard serverStatus == ARES_SUCCESS else {
            ares_destroy(channel)
            throw .channel(server: settings.server, reason: String(cString: ares_strerror(serverStatus)))
        }
        egressmap_batched_io_install(batchedIO, channel)
        return channel
    }

    // MARK: Called from any thread

    /// Sends `query` when a window slot is free; its completion runs on the loop thread.
    func submit(_ query: PendingQuery) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.submitted.append(query)
            inbox.earliestDeadline = earlierDeadline(inbox.earliestDeadline, query.deadline)
            return true
        }
        if accepted {
            wake()
        } else {
            query.finish(.failure(.error, detail: "the resolver was shut down", elapsed: .zero))
        }
    }

    /// Sends `queries` as `submit` does, with one lock and one wake-up for them all, and leaves `queries`
    /// empty. The list itself changes hands when the inbox's is empty (the usual case): no query is copied
    /// or counted on the way, and `queries` gets the inbox's empty storage back for the next bundle.
    ///
    /// `spentReplies`, reply buffers of this channel's earlier results that the caller has read, go along
    /// under the same lock (and are left empty): the loop copies later replies into them instead of
    /// allocating a buffer per reply (see `completed`).
    ///
    /// `earliestDeadline` is the earliest deadline among `queries` (a batch gives all its queries one): the
    /// loop thread found it by reading every query handed over, about 3% of its samples at 100,000 names,
    /// most of them waiting for memory another thread had just written.
    func submit(
        takingAll queries: inout [PendingQuery?], earliestDeadline: ContinuousClock.Instant?,
        returning spentReplies: inout [[UInt8]]
    ) {
        guard !queries.isEmpty else { return }
        assert(
            queries.allSatisfy { query in
                query?.deadline.map { deadline in earliestDeadline.map { $0 <= deadline } ?? false } ?? true
            },
            "earliestDeadline is after a query's deadline"
        )
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.earliestDeadline = earlierDeadline(inbox.earliestDeadline, earliestDeadline)
            if inbox.submitted.isEmpty {
                swap(&inbox.submitted, &queries)
            } else {
                inbox.submitted.append(contentsOf: queries)
            }
            if inbox.spentReplies.isEmpty {
                swap(&inbox.spentReplies, &spentReplies)
            } else {
                while let spent = spentReplies.popLast() { inbox.spentReplies.append(spent) }  // moved
            }
            return true
        }
        spentReplies.removeAll(keepingCapacity: true)
        if accepted {
            wake()
        } else {
            for case let query? in queries {
                query.finish(.failure(.error, detail: "the resolver was shut down", elapsed: .zero))
            }
        }
        queries.removeAll(keepingCapacity: true)
    }

    /// Frees the window slot of a query whose caller has gone; its late reply will be dropped.
    func abandon(_ query: PendingQuery) {
        inbox.withLock { $0.abandoned.append(query) }
        wake()
    }

    /// Asks `name`/`type` and waits for the raw result. Cancelling the task abandons the query.
    func query(_ name: DomainName, _ type: RecordType, deadline: ContinuousClock.Instant?) async -> QueryResult {
        let pending = PendingQuery(name: name, type: type, deadline: deadline, channel: self)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if let early = pending.arm(.call { continuation.resume(returning: $0) }) {
                    continuation.resume(returning: early)
                } else {
                    submit(pending)
                }
            }
        } onCancel: {
            if pending.finish(.cancelled) { abandon(pending) }
        }
    }

    /// Stops the loop: pending queries end with an error, c-ares is destroyed on its own thread.
    func shutdown() async {
        inbox.withLock { $0.stopping = true }
        wake()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyExited = exit.withLock { state -> Bool in
                guard case .running = state else { return true }
                state = .awaited(continuation)
                return false
            }
            if alreadyExited { continuation.resume() }
        }
    }

    /// Wakes the loop from `epoll_wait`. Not needed on the loop thread itself (a batch running there): the
    /// loop takes its inbox again before it next sleeps.
    private func wake() {
        guard !isLoopThread else { return }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Whether the caller runs on this channel's loop thread.
    var isLoopThread: Bool {
        pthread_getspecific(Self.loopKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    /// Keeps `result` (of a query that ended on this channel's loop thread) for `inbox` until the events at
    /// hand are handled; then the batch gets the results of one `epoll_wait` together, under one lock and
    /// with one wake-up, instead of a lock round trip each (see `deliverFinished`).
    func deliverAtPassEnd(_ token: Int, _ result: consuming QueryResult, to inbox: BatchInbox) {
        if let index = loop.finished.firstIndex(where: { $0.inbox === inbox }) {
            loop.finished[index].results.append((token, consume result))  // moved: no copy, no release
        } else {
            var results: [(token: Int, result: QueryResult)] = []
            swap(&results, &loop.spareResults)
            results.append((token, consume result))
            loop.finished.append((inbox, results))
        }
    }

    // MARK: The loop thread

    private func run() {
        let bad = egressmap_ares_socket_bad()
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            guard takeInbox() else { break }
            pump()
            flushSends()
            deliverFinished()  // a query can end inside ares_send (a send that fails at once)
            // A batch that ran has handed over new queries: the loop only looks for events (without
            // sleeping) before it comes round to send them.
            let ranJobs = runJobs()
            let count = epoll_wait(
                loop.epollFD, &events, Int32(events.count), ranJobs ? 0 : nextTimeoutMilliseconds()
            )
            if count < 0 && errno != EINTR { break }
            loop.passStart = .now
            var processed = false
            for index in 0..<max(0, Int(count)) {
                let fd = egressmap_epoll_event_fd(&events[index])
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                let flags = egressmap_epoll_event_events(&events[index])
                let readable = flags & UInt32(EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
                let writable = flags & UInt32(EPOLLOUT.rawValue) != 0
                ares_process_fd(loop.channel, readable ? fd : bad, writable ? fd : bad)
                processed = true
            }
            if !processed { ares_process_fd(loop.channel, bad, bad) }  // c-ares's timeouts
            expireDeadlines()
            deliverFinished()
        }
        tearDown()
    }

    /// Moves handed-over work into loop state; returns false when the loop must stop.
    private func takeInbox() -> Bool {
        // The lists are swapped with the loop's empty ones, so neither side makes a new list per pass.
        var submitted: [PendingQuery?] = []
        var abandoned: [PendingQuery] = []
        var replies: [[UInt8]] = []
        swap(&submitted, &loop.takenSubmitted)  // moved, not copied: each list has one owner at a time
        swap(&abandoned, &loop.takenAbandoned)
        swap(&replies, &loop.takenReplies)
        let (stopping, submittedDeadline) = inbox.withLock { inbox in
            swap(&inbox.submitted, &submitted)
            swap(&inbox.abandoned, &abandoned)
            swap(&inbox.spentReplies, &replies)
            defer { inbox.earliestDeadline = nil }
            return (inbox.stopping, inbox.earliestDeadline)
        }
        loop.earliestDeadline = earlierDeadline(loop.earliestDeadline, submittedDeadline)
        // A buffer is used once per reply, and one comes back per reply read.
        while let spent = replies.popLast(), loop.replyBuffers.count < replyBuffersKept {
            loop.replyBuffers.append(spent)
        }
        replies.removeAll(keepingCapacity: true)
        loop.takenReplies = replies
        for query in abandoned {
            loop.sent.giveUp(query)
        }
        if loop.waitingHead == loop.waiting.count {
            // Nothing waits (the usual case): the handed-over list becomes the waiting list whole.
            swap(&loop.waiting, &submitted)
            loop.waitingHead = 0
        } else {
            // Moved one by one, not appended as a copy: a copy retained every query, and emptying
            // `submitted` released each again.
            for index in submitted.indices { loop.waiting.append(submitted[index].take()) }
        }
        submitted.removeAll(keepingCapacity: true)
        abandoned.removeAll(keepingCapacity: true)
        loop.takenSubmitted = submitted
        loop.takenAbandoned = abandoned
        return !stopping
    }

    /// Sends waiting queries while the window has room.
    private func pump() {
        guard loop.sent.count < loop.window, loop.waitingHead < loop.waiting.count else { return }
        loop.passStart = .now
        let now = loop.passStart
        // `earliestDeadline` is at or before every waiting query's deadline: while it is ahead, no query's has
        // passed, and none is compared (a comparison of two instants is a call through their conformance).
        let deadlinesPassed = loop.earliestDeadline.map { $0 <= now } ?? false
        while loop.sent.count < loop.window, loop.waitingHead < loop.waiting.count {
            let next = loop.waiting[loop.waitingHead].take()  // moved out: no retain here, no release later
            loop.waitingHead += 1
            guard let query = consume next, !query.isFinished else { continue }
            if deadlinesPassed, let deadline = query.deadline, deadline <= now {
                query.finish(.failure(.timeout, detail: "the deadline passed before it was sent", elapsed: .zero))
                continue
            }
            let length = outgoing.withUnsafeMutableBufferPointer { buffer in
                QueryMessage.write(for: query.name, type: query.type, into: buffer)
            }
            // The callback's argument is the slot's ticket, not a pointer: c-ares never holds a reference.
            // The query is handed to its slot only once its message is written: moved, not retained.
            let ticket = loop.sent.insert(consume query, at: now)
            let channel = loop.channel
            outgoing.withUnsafeMutableBufferPointer { buffer in
                let callback: ares_callback = { context, status, timeouts, reply, length in
                    AresChannel.withChannelOnThisThread { channel in
                        channel.completed(
                            ticket: Int(bitPattern: context), status: status, timeouts: timeouts, reply: reply,
                            length: length)
                    }
                }
                ares_send(channel, buffer.baseAddress, Int32(length), callback,
                          UnsafeMutableRawPointer(bitPattern: ticket))
            }
        }
        if loop.waitingHead == loop.waiting.count {
            loop.waiting.removeAll(keepingCapacity: true)
            loop.waitingHead = 0
        } else if loop.waitingHead > 4096 {
            loop.waiting.removeFirst(loop.waitingHead)
            loop.waitingHead = 0
        }
    }

    /// The ares_send callback, on the loop thread: frees the slot and hands the result on.
    fileprivate func completed(
        ticket: Int, status: Int32, timeouts: Int32, reply: UnsafeMutablePointer<UInt8>?, length: Int32
    ) {
        guard let (query, sentAt) = loop.sent.complete(ticket) else { return }  // given up already
        if status == ARES_SUCCESS { adapt(retried: timeouts > 0) }
        let elapsed = loop.passStart - sentAt
        if status == ARES_SUCCESS, let reply, length > 0 {
            // Copied into a buffer a batch has handed back, when there is one: a new array per reply was a
            // malloc here and a free where the batch ran, 200,000 of each at 100,000 names.
            var bytes = loop.replyBuffers.popLast() ?? []
            bytes.removeAll(keepingCapacity: true)
            bytes.reserveCapacity(max(Self.replyBufferCapacity, Int(length)))
            bytes.append(contentsOf: UnsafeBufferPointer(start: reply, count: Int(length)))
            query.finish(.reply(bytes, elapsed: elapsed))
        } else {
            let socketFailure = status == ARES_ECONNREFUSED ? SocketFailure(of: batchedIO) : nil
            let (outcome, detail) = AresStatus.outcome(for: status, socketFailure: socketFailure)
            query.finish(.failure(outcome, detail: detail, elapsed: elapsed))
        }
    }

    /// The capacity a new reply buffer gets: a UDP reply without EDNS fits, so a reused buffer never grows.
    static let replyBufferCapacity = 512
    /// Reply buffers handed back that the loop keeps; more are let go. A batch keeps four windows of names
    /// in flight, two types each, so about eight windows of buffers go round; with four, a bulk resolve
    /// still let go and made anew one buffer in ten.
    private var replyBuffersKept: Int { 8 * settings.window }

    /// Adapts the window to loss (AIMD), counting queries that got a reply: once per window of replies,
    /// the window halves if any of them came only after a retry — a query or its reply was dropped, the
    /// server's socket buffer overflowed — and grows by one otherwise, up to `settings.window`. A query
    /// with no reply at all does not count: a dead server or a silent name is not congestion, and
    /// shrinking the window for it would only slow the other names.
    private func adapt(retried: Bool) {
        loop.sinceChange += 1
        if retried { loop.lossSeen = true }
        guard loop.sinceChange >= loop.window else { return }
        if loop.lossSeen {
            loop.window = max(min(4, settings.window), loop.window / 2)
        } else if loop.window < settings.window {
            loop.window += 1
        }
        loop.sinceChange = 0
        loop.lossSeen = false
    }

    fileprivate func socketStateChanged(_ socket: ares_socket_t, readable: Bool, writable: Bool) {
        var wanted: UInt32 = 0
        if readable { wanted |= UInt32(EPOLLIN.rawValue) }
        if writable { wanted |= UInt32(EPOLLOUT.rawValue) }
        var event = egressmap_epoll_event(wanted, socket)
        switch (loop.watched[socket], wanted) {
        case (nil, 0):
            return
        case (nil, _):
            epoll_ctl(loop.epollFD, EPOLL_CTL_ADD, socket, &event)
            loop.watched[socket] = wanted
        case (_, 0):
            epoll_ctl(loop.epollFD, EPOLL_CTL_DEL, socket, &event)
            loop.watched[socket] = nil
        default:
            epoll_ctl(loop.epollFD, EPOLL_CTL_MOD, socket, &event)
            loop.watched[socket] = wanted
        }
    }

    private func nextTimeoutMilliseconds() -> Int32 {
        var milliseconds: Int64 = -1
        var tv = timeval()
        if let next = ares_timeout(loop.channel, nil, &tv) {
            milliseconds = Int64(next.pointee.tv_sec) * 1000 + (Int64(next.pointee.tv_usec) + 999) / 1000
        }
        if let deadline = loop.earliestDeadline {
            let left = deadline - ContinuousClock.now
            let leftMs = max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            milliseconds = milliseconds < 0 ? leftMs : min(milliseconds, leftMs)
        }
        return Int32(clamping: milliseconds)
    }

    /// Ends every query whose deadline has passed, in flight or waiting, as a timeout.
    private func expireDeadlines() {
        guard let earliest = loop.earliestDeadline else { return }
        let now = ContinuousClock.now
        guard earliest <= now else { return }
        for (query, sentAt) in loop.sent.giveUp(deadlineAtOrBefore: now) {
            query.finish(.failure(.timeout, detail: "the deadline passed", elapsed: now - sentAt))
        }
        var next = loop.sent.earliestDeadline
        for case let query? in loop.waiting[loop.waitingHead...] where !query.isFinished {
            guard let deadline = query.deadline else { continue }
            if deadline <= now {
                query.finish(.failure(.timeout, detail: "the deadline passed before it was sent", elapsed: .zero))
            } else if next.map({ deadline < $0 }) ?? true {
                next = deadline
            }
        }
        loop.earliestDeadline = next
    }

    /// Sends the datagrams c-ares queued in this pass, in one syscall, before the loop sleeps. When the
    /// kernel refused them with an error (a closed port), c-ares reads the socket at once and learns of the
    /// error as it would have from its own send (it resends or ends the socket's queries, each resend
    /// using up a try); so it does when replies wait in the batch that epoll cannot see.
    private func flushSends() {
        // Bounded, should c-ares ever leave the socket unread (a server it marked broken): what is left then
        // waits for the next event or timeout, which epoll_wait always has while queries are out.
        for _ in 0..<64 {
            let failed = egressmap_batched_io_flush(batchedIO)
            let socket = failed >= 0 ? failed : egressmap_batched_io_unread(batchedIO)
            guard socket >= 0 else { return }
            ares_process_fd(loop.channel, socket, egressmap_ares_socket_bad())
        }
        _ = egressmap_batched_io_flush(batchedIO)
    }

    /// Hands each batch inbox the results kept for it in this pass (see `deliverAtPassEnd`).
    private func deliverFinished() {
        guard !loop.finished.isEmpty else { return }
        for index in loop.finished.indices {
            let inbox = loop.finished[index].inbox
            inbox.push(takingAll: &loop.finished[index].results)
        }
        var spare: [(token: Int, result: QueryResult)] = []
        swap(&spare, &loop.finished[loop.finished.count - 1].results)
        loop.spareResults = spare
        loop.finished.removeAll(keepingCapacity: true)  // an inbox is let go once its batch has its results
    }

    /// Runs the jobs enqueued since the last call, each until its task next waits; returns whether there
    /// were any.
    private func runJobs() -> Bool {
        var jobs: [UnownedJob] = []
        inbox.withLock { swap(&$0.jobs, &jobs) }
        guard !jobs.isEmpty else { return false }
        let executor = asUnownedTaskExecutor()
        for job in jobs { job.runSynchronously(on: executor) }
        return true
    }

    private func tearDown() {
        // Destroying the channel runs every outstanding callback with ARES_EDESTRUCTION.
        ares_destroy(loop.channel)
        loop.channel = nil
        egressmap_batched_io_destroy(batchedIO)
        _ = takeInbox()
        for case let query? in loop.waiting[loop.waitingHead...] {
            query.finish(.failure(.error, detail: "the resolver was shut down", elapsed: .zero))
        }
        loop.waiting.removeAll()
        close(loop.epollFD)
        close(wakeFD)
        deliverFinished()
        let orphans = inbox.withLock { inbox -> [UnownedJob] in
            inbox.closed = true
            defer { inbox.jobs = [] }
            return inbox.jobs
        }
        for job in orphans { globalConcurrentExecutor.enqueue(job) }
        census.channelStopped()
        let waiter = exit.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .exited }
            if case .awaited(let continuation) = state { return continuation }
            return nil
        }
        waiter?.resume()
    }
}

/// A batch runs on the loop thread of the channel it prefers (`Resolver.resolveAll`), as a one-thread C
/// program runs its event loop and its output together: the loop runs the batch's task after a pass has
/// delivered its results, until the task waits for the next ones.
///
/// On its own thread, the batch was woken (a futex) by every pass's results and woke the loop (the
/// eventfd) with every bundle of queries, and each query's state moved between two cores twice. At
/// 100,000 names on two cores that took more CPU than overlapping the batch with the loop saved: 15 runs
/// in turns with the C ceiling took 1.20 CPU s against 1.48, and 1.13× the ceiling's wall time against
/// 1.24× (medians; README, "Resolver benchmark").
extension AresChannel: TaskExecutor {
    /// Queues `job` for the loop, which runs it before it next sleeps; once the loop has exited, hands it to
    /// the global executor instead.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.jobs.append(job)
            return true
        }
        if queued {
            wake()
        } else {
            globalConcurrentExecutor.enqueue(job)
        }
    }
}

/// The earlier of two deadlines, where nil is none.
func earlierDeadline(
    _ first: ContinuousClock.Instant?, _ second: ContinuousClock.Instant?
) -> ContinuousClock.Instant? {
    guard let first, let second else { return first ?? second }
    return min(first, second)
}
