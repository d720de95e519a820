import Hostnames
import Logging
import Synchronization

/// Asks DNS servers for A and AAAA records through c-ares, one channel (and thread) per server socket.
///
/// Create one with `Resolver.withResolver`, which shuts every channel down when the body returns or throws.
public final class Resolver: Sendable {
    public let configuration: ResolverConfiguration
    private let channels: [[AresChannel]]
    /// Per server, the channel that asks again over TCP what came back truncated.
    private let tcpChannels: [AresChannel]
    private let nextChannel: Atomic<Int> = Atomic(0)
    private let logger: Logger

    private init(configuration: ResolverConfiguration, census: ResolverCensus, logger: Logger) throws(DNSError) {
        guard !configuration.servers.isEmpty else { throw .noServers }
        var channels: [[AresChannel]] = []
        var tcpChannels: [AresChannel] = []
        do {
            // A window larger than one socket takes is spread over several channels (sockets), the total
            // unchanged: one UDP socket's receive buffer at the server overflows first.
            let window = max(1, configuration.window)
            let split = (window + ResolverConfiguration.windowPerSocket - 1) / ResolverConfiguration.windowPerSocket
            for server in configuration.servers {
                var perServer: [AresChannel] = []
                for _ in 0..<max(1, configuration.channelsPerServer) * split {
                    perServer.append(
                        try AresChannel(
                            ChannelSettings(
                                server: server, timeout: configuration.timeout, tries: max(1, configuration.tries),
                                window: (window + split - 1) / split
                            ),
                            census: census
                        )
                    )
                }
                channels.append(perServer)
                tcpChannels.append(
                    try AresChannel(
                        ChannelSettings(
                            server: server, timeout: configuration.timeout, tries: max(1, configuration.tries),
                            window: min(window, Self.tcpWindow), overTCP: true
                        ),
                        census: census
                    )
                )
            }
        } catch {
            let made = channels.flatMap { $0 } + tcpChannels
            Task { for channel in made { await channel.shutdown() } }
            throw error
        }
        self.configuration = configuration
        self.channels = channels
        self.tcpChannels = tcpChannels
        self.logger = logger
    }

    /// Runs `body` with a resolver for `configuration` and shuts it down afterwards, whatever happens.
    /// - Throws: `DNSError` when a channel cannot be set up, or whatever `body` throws.
    public static func withResolver<Result: Sendable>(
        _ configuration: ResolverConfiguration,
        logger: Logger = Logger(label: "egressmap.dns"),
        _ body: (Resolver) async throws -> Result
    ) async throws -> Result {
        try await withResolver(configuration, census: ResolverCensus(), logger: logger, body)
    }

    /// `withResolver` that counts its channels and queries in `census`, so a test can see them all gone.
    static func withResolver<Result: Sendable>(
        _ configuration: ResolverConfiguration,
        census: ResolverCensus,
        logger: Logger = Logger(label: "egressmap.dns"),
        _ body: (Resolver) async throws -> Result
    ) async throws -> Result {
        let resolver = try Resolver(configuration: configuration, census: census, logger: logger)
        logger.debug(
            "resolver up",
            metadata: [
                "servers": "\(configuration.servers.map(\.description))", "mode": "\(configuration.mode.rawValue)",
                "window": "\(configuration.window)",
            ]
        )
        do {
            let result = try await body(resolver)
            await resolver.shutdown()
            return result
        } catch {
            await resolver.shutdown()
            throw error
        }
    }

    private func shutdown() async {
        for channel in channels.joined() { await channel.shutdown() }
        for channel in tcpChannels { await channel.shutdown() }
    }

    /// Queries a TCP channel keeps in flight: truncated replies are few, and share one connection.
    static let tcpWindow = 16

    /// Whether a reply came truncated (TC set): over UDP, it is asked again over TCP.
    static func isTruncated(_ reply: [UInt8]) -> Bool { reply.count > 2 && reply[2] & 0x02 != 0 }

    /// The channel that asks server `index` over TCP.
    func tcpChannel(forServer index: Int) -> AresChannel { tcpChannels[index] }

    /// Asks `name`/`type` as the configured mode says: every server (union) or the next only after a
    /// failure (failover). Returns one answer per server asked, in server order.
    /// - Throws: `CancellationError` when the task is cancelled; the queries are abandoned at once.
    public func lookup(
        _ name: DomainName, _ type: RecordType, deadline: ContinuousClock.Instant? = nil
    ) async throws -> [LookupAnswer] {
        switch configuration.mode {
        case .union:
            if channels.count == 1 { return [try await lookup(name, type, server: 0, deadline: deadline)] }
            return try await withThrowingTaskGroup(of: LookupAnswer.self) { group in
                for index in channels.indices {
                    group.addTask { try await self.lookup(name, type, server: index, deadline: deadline) }
                }
                var answers: [LookupAnswer] = []
                for try await answer in group { answers.append(answer) }
                let order = Dictionary(uniqueKeysWithValues: configuration.servers.enumerated().map { ($1, $0) })
                return answers.sorted { order[$0.server, default: 0] < order[$1.server, default: 0] }
            }
        case .failover:
            var answers: [LookupAnswer] = []
            for index in channels.indices {
                let answer = try await lookup(name, type, server: index, deadline: deadline)
                answers.append(answer)
                if answer.outcome.isAnswer { break }
            }
            return answers
        }
    }

    /// Asks one server (by its index in the configuration) once.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func lookup(
        _ name: DomainName, _ type: RecordType, server index: Int, deadline: ContinuousClock.Instant? = nil
    ) async throws -> LookupAnswer {
        var result = await channel(forServer: index).query(name, type, deadline: deadline)
        if case .reply(let bytes, _) = result, Self.isTruncated(bytes) {
            result = await tcpChannel(forServer: index).query(name, type, deadline: deadline)
        }
        var scratch = ReplyScratch()
        guard let answer = Self.answer(
            result, name: name, type: type, server: configuration.servers[index], scratch: &scratch
        ) else {
            throw CancellationError()
        }
        return answer
    }

    /// The channel whose loop thread runs a batch (`resolveAll`): the first server's first.
    var batchExecutor: AresChannel { channels[0][0] }

    /// The channel the next query to server `index` goes to: the server's channels take turns.
    func channel(forServer index: Int) -> AresChannel {
        let count = channels[index].count  // read in place: a copy of the list is two reference counts per query
        return count == 1
            ? channels[index][0]
            : channels[index][nextChannel.wrappingAdd(1, ordering: .relaxed).oldValue % count]
    }

    /// A query's result as a lookup answer, the reply parsed (its records kept in `scratch` meanwhile); nil
    /// when the query was cancelled.
    static func answer(
        _ result: QueryResult, name: DomainName, type: RecordType, server: ServerAddress,
        scratch: inout ReplyScratch
    ) -> LookupAnswer? {
        switch result {
        case .cancelled:
            return nil
        case .failure(let outcome, let detail, let elapsed):
            return LookupAnswer(
                name: name, type: type, server: server, outcome: outcome, elapsed: elapsed, detail: detail
            )
        case .reply(let bytes, let elapsed):
            return answer(reply: bytes, elapsed: elapsed, name: name, type: type, server: server, scratch: &scratch)
        }
    }

    /// The lookup answer a reply's `bytes` make, parsed with `scratch`.
    static func answer(
        reply bytes: [UInt8], elapsed: Duration, name: DomainName, type: RecordType, server: ServerAddress,
        scratch: inout ReplyScratch
    ) -> LookupAnswer {
        var reply = ReplyParser.parse(bytes, name: name.text, type: type, scratch: &scratch)
        var answer = LookupAnswer(
            name: name, type: type, server: server, outcome: reply.outcome, rcode: reply.rcode, ttl: reply.ttl,
            negativeTTL: reply.negativeTTL, addressesCapped: reply.addressesCapped, elapsed: elapsed
        )
        // The reply's lists and detail are moved into the answer, not copied and released.
        swap(&answer.chain, &reply.chain)
        swap(&answer.addresses, &reply.addresses)
        swap(&answer.detail, &reply.detail)
        return answer
    }
}
