import Foundation
import Hostnames
import IPNet
import TestSupport
import Testing

@testable import DNS

/// The fault responder's servers and log (scripts/world/README.md, "faultd.py"), and what every fault
/// case checks besides its outcome: that it ended within a bound and left no channel or query behind.
enum Faults {
    /// faultd's scripted port: the first label of the name picks the scenario.
    static func faults() throws -> ServerAddress { try ServerAddress(parsing: try TestWorld.faults()) }

    /// faultd's dead port: reads every query, never answers.
    static func dead() throws -> ServerAddress { try ServerAddress(parsing: try TestWorld.deadServer()) }

    /// faultd's slow port: the good answer (A 5.188.1.1, AAAA 2a05:d014::1, TTL 60) to any name after
    /// 20 ms. with-world.sh does not export it; faultd writes it to `faultd.ports` in the world folder.
    static func slow() throws -> ServerAddress { try unexported("SLOW_PORT") }

    /// faultd's choked port: TC=1 to every UDP query, and a TCP listener whose full accept queue makes the
    /// kernel drop every SYN, so a connect hangs until the client gives up. Read from `faultd.ports`.
    static func choked() throws -> ServerAddress { try unexported("CHOKED_PORT") }

    /// A faultd port that with-world.sh does not export, from `faultd.ports` in the world folder.
    private static func unexported(_ key: String) throws -> ServerAddress {
        let path = try TestWorld.value("EGRESSMAP_TEST_WORLD") + "/faultd.ports"
        let ports = try String(contentsOfFile: path, encoding: .utf8)
        let line = try #require(ports.split(separator: "\n").first { $0.hasPrefix("\(key)=") }, "\(path)")
        return try ServerAddress(parsing: "127.0.0.1:\(line.dropFirst(key.count + 1))")
    }

    /// A zone of its own for one test (`<label>-<random>.f.test`), so counts in the shared log are its own.
    static func zone(_ label: String) -> String { "\(label)-\(UInt32.random(in: 0...UInt32.max)).f.test" }

    static func name(_ text: String) throws -> DomainName { try DomainName(validating: text) }

    /// How much slower than a plain debug build this run is: `EGRESSMAP_TEST_SLOWDOWN`, set by
    /// scripts/sanitize.sh (a sanitizer slows everything several times), else 1.
    static let slowdown = max(1, Int(ProcessInfo.processInfo.environment["EGRESSMAP_TEST_SLOWDOWN"] ?? "") ?? 1)

    /// `duration` stretched by `slowdown`.
    static func patient(_ duration: Duration) -> Duration { duration * slowdown }

    /// A configuration for the servers; `timeout` is stretched by `slowdown`.
    static func configuration(
        _ servers: [ServerAddress], mode: ResolverConfiguration.Mode = .union, timeout: Duration = .seconds(1),
        tries: Int = 2, window: Int = 50
    ) -> ResolverConfiguration {
        ResolverConfiguration(servers: servers, mode: mode, timeout: patient(timeout), tries: tries, window: window)
    }

    /// The longest a lookup may take with these settings: c-ares waits `timeout`, then doubles it on each
    /// further try at one server (timeout × (2^tries − 1)). Doubled again, plus 90 s, all stretched by
    /// `slowdown`: the bound catches a hang, it does not measure speed. The 90 s are for the whole suite
    /// on 2 cores, where tests that wait for a child process synchronously hold the 2 threads of Swift's
    /// cooperative pool and stall every other test's tasks, for up to a minute early in the run.
    static func bound(timeout: Duration, tries: Int, servers: Int = 1) -> Duration {
        patient(timeout * ((1 << tries) - 1) * 2 * servers + .seconds(90))
    }

    /// The good answer's addresses (README: "the good answer").
    static let goodA = ["5.188.1.1"]
    static let goodAAAA = ["2a05:d014::1"]

    /// Runs `body` with a resolver and checks what every case must show besides its outcome: it ended
    /// within `bound`, every channel loop was torn down when `withResolver` returned, and no query object
    /// outlived it (a query may be freed a moment after its caller resumes, so that count gets 2 s).
    static func run<Result: Sendable>(
        _ configuration: ResolverConfiguration, within bound: Duration,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: (Resolver) async throws -> Result
    ) async throws -> Result {
        let measured = try await measure(configuration, body)
        check(measured, within: bound, sourceLocation: sourceLocation)
        return measured.result
    }

    /// What `run` checks, measured without checking (for a task where `#expect` has no test to report to).
    struct Measured<Result: Sendable>: Sendable {
        var result: Result
        var elapsed: Duration
        var liveChannels: Int
        var liveQueries: Int
    }

    static func measure<Result: Sendable>(
        _ configuration: ResolverConfiguration, _ body: (Resolver) async throws -> Result
    ) async throws -> Measured<Result> {
        let census = ResolverCensus()
        let started = ContinuousClock.now
        let result = try await Resolver.withResolver(configuration, census: census, body)
        let elapsed = ContinuousClock.now - started
        let liveChannels = census.liveChannels
        let settle = ContinuousClock.now + patient(.seconds(2))
        while census.liveQueries != 0, ContinuousClock.now < settle { try await Task.sleep(for: .milliseconds(10)) }
        return Measured(result: result, elapsed: elapsed, liveChannels: liveChannels, liveQueries: census.liveQueries)
    }

    static func check<Result>(
        _ measured: Measured<Result>, within bound: Duration, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let elapsed = measured.elapsed
        #expect(elapsed < bound, "took \(elapsed); the bound is \(bound)", sourceLocation: sourceLocation)
        #expect(measured.liveChannels == 0, "channel loops left running", sourceLocation: sourceLocation)
        #expect(measured.liveQueries == 0, "queries left alive", sourceLocation: sourceLocation)
    }

    /// Runs `body` in a detached task at background priority and waits for it through a continuation, which
    /// does not raise the task's priority: a load test's thousands of jobs then queue behind the rest of
    /// the suite's on Swift's cooperative threads instead of starving them.
    static func inBackground<Result: Sendable>(
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Task.detached(priority: .background) {
                do {
                    continuation.resume(returning: try await body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// One line of `faultd.log`: transport, listener, scenario, qtype, name (with its final dot), and the
    /// slow port's count of unanswered queries for the zone.
    struct LogLine: Equatable {
        var transport: String
        var listener: String
        var qtype: String
        var name: String
        var pending: Int?
    }

    /// The log lines whose query name ends in `zone` (case-insensitively).
    static func log(zone: String) throws -> [LogLine] {
        let path = try TestWorld.value("EGRESSMAP_TEST_WORLD") + "/faultd.log"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let suffix = "." + zone.lowercased() + "."
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6, fields[5].lowercased().hasSuffix(suffix) else { return nil }
            return LogLine(
                transport: fields[1], listener: fields[2], qtype: fields[4], name: fields[5].lowercased(),
                pending: fields.count > 6 ? Int(fields[6]) : nil
            )
        }
    }

    /// How often faultd received `name`/`qtype`, per transport.
    static func received(_ name: String, _ qtype: String = "A", zone: String) throws -> [String] {
        try log(zone: zone).filter { $0.name == name.lowercased() + "." && $0.qtype == qtype }.map(\.transport)
    }
}

extension LookupAnswer {
    /// The addresses in presentation form, in answer order.
    var texts: [String] { addresses.map(\.address.description) }
}
