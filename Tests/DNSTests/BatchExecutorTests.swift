import Hostnames
import Testing

@testable import DNS

/// A batch runs on a channel's loop thread (`AresChannel`'s `TaskExecutor` conformance): where its work
/// runs, and what becomes of a job once the loop has gone.
@Suite("Batch on the loop thread", .timeLimit(.minutes(5)))
struct BatchExecutorTests {
    @Test("a batch over two servers of two channels each runs next and each on the first channel's loop thread")
    func batchThread() async throws {
        let zone = Faults.zone("onloop")
        let count = 400
        // A window of 150 is spread over two channels (sockets) per server: four loop threads, one batch.
        // The second server is the slow port, which gives the good answer to any name.
        let configuration = Faults.configuration([try Faults.faults(), try Faults.slow()], window: 150)
        var next = 0
        var offLoop = 0
        var answered = 0
        var wrong = 0
        let bound = Faults.patient(.seconds(120))
        let (callerOnLoop, channels) = try await Faults.run(configuration, within: bound) { dns in
            let callerOnLoop = dns.batchExecutor.isLoopThread
            try await dns.resolveAll(
                types: [.a], deadline: nil,
                next: {
                    if !dns.batchExecutor.isLoopThread { offLoop += 1 }
                    guard next < count else { return nil }
                    defer { next += 1 }
                    return NameJob(name: try Faults.name("ok.\(next).\(zone)"))
                },
                each: { resolution in
                    if !dns.batchExecutor.isLoopThread { offLoop += 1 }
                    for lookup in resolution.lookups {
                        if lookup.answer.outcome == .ok && lookup.answer.texts == Faults.goodA {
                            answered += 1
                        } else {
                            wrong += 1
                        }
                    }
                }
            )
            return (callerOnLoop, (0..<100).map { _ in dns.channel(forServer: 1) })
        }
        #expect(!callerOnLoop, "the test's own task ran on the loop thread: the check below proves nothing")
        #expect(Set(channels.map(ObjectIdentifier.init)).count == 2, "the second server has one channel")
        #expect(offLoop == 0, "\(offLoop) calls of next or each ran off the loop thread")
        #expect(answered == 2 * count)
        #expect(wrong == 0)
    }

    @Test("a batch whose callbacks may wait runs them off the loop threads")
    func callbacksOffLoop() async throws {
        let zone = Faults.zone("offloop")
        var next = 0
        var onLoop = 0
        var answered = 0
        let configuration = Faults.configuration([try Faults.faults()])
        try await Faults.run(configuration, within: Faults.patient(.seconds(60))) { dns in
            try await dns.resolveAll(
                types: [.a], deadline: nil, callbacksMayWait: true,
                next: {
                    if dns.batchExecutor.isLoopThread { onLoop += 1 }
                    guard next < 100 else { return nil }
                    defer { next += 1 }
                    return NameJob(name: try Faults.name("ok.\(next).\(zone)"))
                },
                each: { resolution in
                    if dns.batchExecutor.isLoopThread { onLoop += 1 }
                    if resolution.lookups.first?.answer.texts == Faults.goodA { answered += 1 }
                }
            )
        }
        #expect(onLoop == 0)
        #expect(answered == 100)
    }

    @Test("two batches at once on one resolver share the loop thread and both finish")
    func twoBatches() async throws {
        let zone = Faults.zone("twobatches")
        let configuration = Faults.configuration([try Faults.faults()])
        let counts = try await Faults.run(configuration, within: Faults.patient(.seconds(60))) { dns in
            async let first = Self.answeredOnLoop(dns, names: (0..<300).map { "ok.a\($0).\(zone)" })
            async let second = Self.answeredOnLoop(dns, names: (0..<300).map { "ok.b\($0).\(zone)" })
            return try await [first, second]
        }
        #expect(counts == [300, 300])
    }

    /// How many of `names` got the good answer in a batch of their own, counting only callbacks that ran on
    /// the batch's loop thread.
    static func answeredOnLoop(_ dns: Resolver, names: [String]) async throws -> Int {
        var pending = names.makeIterator()
        var answered = 0
        try await dns.resolveAll(
            types: [.a], deadline: nil,
            next: { try pending.next().map { NameJob(name: try Faults.name($0)) } },
            each: { resolution in
                if dns.batchExecutor.isLoopThread, resolution.lookups.first?.answer.texts == Faults.goodA {
                    answered += 1
                }
            }
        )
        return answered
    }

    struct Stop: Error {}

    @Test("each throwing on the loop thread abandons the queries on the wire: their slots are free at once")
    func eachThrows() async throws {
        let zone = Faults.zone("eachthrows")
        var next = 0
        var seen = 0
        try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: .seconds(300), tries: 1, window: 20),
            within: Faults.patient(.seconds(150))  // c-ares alone would wait 300 s for the silent names
        ) { dns in
            // One answered name, then silent ones: by the time `each` hears of the first, silent queries fill
            // the window of 20 (the loop refills the slot before it runs the batch), and `each` throws.
            await #expect(throws: Stop.self) {
                try await dns.resolveAll(
                    types: [.a], deadline: nil, concurrency: 100,
                    next: {
                        defer { next += 1 }
                        let label = next == 0 ? "ok" : "silent"
                        return next < 500 ? NameJob(name: try Faults.name("\(label).\(next).\(zone)")) : nil
                    },
                    each: { _ in
                        seen += 1
                        throw Stop()
                    }
                )
            }
            // The batch abandoned its queries on the loop thread itself: unless their slots are free, this
            // lookup waits behind 20 silent queries until its deadline.
            let ok = try await dns.lookup(
                try Faults.name("ok.after.\(zone)"), .a, deadline: .now + Faults.patient(.seconds(10))
            )[0]
            #expect(ok.texts == Faults.goodA)
        }
        #expect(seen == 1)
        let silent = try Faults.log(zone: zone).filter { $0.name.hasPrefix("silent.") }
        #expect(silent.count >= 19, "only \(silent.count) silent queries were on the wire")
    }

    @Test("a task that prefers a channel runs on its loop thread, and after the loop has exited, elsewhere")
    func jobsAfterExit() async throws {
        let census = ResolverCensus()
        let settings = ChannelSettings(server: try Faults.faults(), timeout: .seconds(1), tries: 1, window: 4)
        let channel = try AresChannel(settings, census: census)
        #expect(try await Self.threadOfTask(preferring: channel) == .loop)
        await channel.shutdown()
        #expect(census.liveChannels == 0)
        #expect(try await Self.threadOfTask(preferring: channel) == .elsewhere)
    }

    enum Ran: Equatable { case loop, elsewhere }

    /// Where a task that prefers `channel` runs once it has been enqueued there; nil when it has not run
    /// within 10 s. (Awaited directly, a job lost in a queue nobody runs would hang the test: a time limit
    /// cannot cancel a task that never runs again.)
    static func threadOfTask(preferring channel: AresChannel) async throws -> Ran? {
        let ran = Locked<Ran?>(nil)
        Task.detached {
            await withTaskExecutorPreference(channel) {
                await Task.yield()  // enqueued on the preferred executor, whatever ran the task before
                let here: Ran = channel.isLoopThread ? .loop : .elsewhere
                ran.withLock { $0 = here }
            }
        }
        let giveUp = ContinuousClock.now + Faults.patient(.seconds(10))
        while ContinuousClock.now < giveUp {
            if let place = ran.withLock({ $0 }) { return place }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}
