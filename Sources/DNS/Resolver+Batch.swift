import Hostnames

/// One name to resolve in a batch, with the input line it came from (nil for command-line arguments).
public struct NameJob: Sendable, Hashable {
    public var name: DomainName
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
    /// - Parameters:
    ///   - types: the record types to ask for each name, asked concurrently.
    ///   - rounds: how often each name is asked (rounds catch round-robin rotation).
    ///   - deadline: when everything unfinished ends as `timeout`.
    ///   - concurrency: names in flight; defaults to the window times the channels per server.
    ///   - next: the next name, or nil at the end of the input; called on this task only.
    ///   - each: called on this task for every finished name.
    /// - Throws: what `next` or `each` throw, or `CancellationError`.
    public func resolveAll(
        types: [RecordType], rounds: Int = 1, deadline: ContinuousClock.Instant?, concurrency: Int? = nil,
        next: () throws -> NameJob?, each: (NameResolution) throws -> Void
    ) async throws {
        let limit = max(1, concurrency ?? configuration.window * max(1, configuration.channelsPerServer))
        try await withThrowingTaskGroup(of: NameResolution.self) { group in
            var inFlight = 0
            while let job = try next() {
                if inFlight >= limit, let done = try await group.next() {
                    inFlight -= 1
                    try each(done)
                }
                group.addTask {
                    try await self.resolve(job, types: types, rounds: rounds, deadline: deadline)
                }
                inFlight += 1
            }
            while let done = try await group.next() { try each(done) }
        }
    }

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
