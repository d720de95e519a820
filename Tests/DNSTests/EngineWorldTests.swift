import Foundation
import Hostnames
import IPNet
import Testing
import TestSupport

@testable import DNS

/// The engine against the real servers of the test world (Tests/World/zones is the source of truth).
@Suite("Engine against the test world")
struct EngineWorldTests {
    func configuration(
        _ variable: String = "EGRESSMAP_TEST_DNS", timeout: Duration = .seconds(1), tries: Int = 2, window: Int = 50
    ) throws -> ResolverConfiguration {
        ResolverConfiguration(
            servers: [try ServerAddress(parsing: try TestWorld.value(variable))], timeout: timeout, tries: tries,
            window: window
        )
    }

    func name(_ text: String) throws -> DomainName { try DomainName(validating: text) }

    @Test("a chain across three zones, in order, with each hop's TTL and the addresses")
    func chain() async throws {
        let answers = try await Resolver.withResolver(try configuration()) { dns in
            try await dns.lookup(try name("www.world.test"), .a) + dns.lookup(try name("www.world.test"), .aaaa)
        }
        #expect(answers.map(\.outcome) == [.ok, .ok])
        for answer in answers {
            #expect(answer.chain.map(\.name) == ["www.world.test", "edge.cdn.test"])
            #expect(answer.chain.map(\.target) == ["edge.cdn.test", "e1.akam.test"])
            #expect(answer.rcode == 0)
        }
        #expect(Set(answers[0].addresses.map(\.address.description)) == ["45.60.20.1", "45.60.20.2"])
        #expect(answers[1].addresses.map(\.address.description) == ["2a05:d014:20::1"])
    }

    @Test("exact TTLs from the authoritative server: the chain minimum, 0 and 86400")
    func ttls() async throws {
        try await Resolver.withResolver(try configuration("EGRESSMAP_TEST_AUTH")) { dns in
            let zero = try await dns.lookup(try name("ttl0.world.test"), .a)[0]
            #expect(zero.ttl == 0)
            #expect(zero.addresses.map(\.address.description) == ["5.188.10.20"])
            let day = try await dns.lookup(try name("ttlday.world.test"), .a)[0]
            #expect(day.ttl == 86400)
            #expect(day.addresses.map(\.address.description) == ["5.188.10.21"])
            let dual = try await dns.lookup(try name("dual.world.test"), .aaaa)[0]
            #expect(dual.addresses.map(\.ttl) == [300, 300])
            #expect(Set(dual.addresses.map(\.address.description)) == ["2a05:d014:10::1", "2a05:d014:10::2"])
        }
    }

    @Test("NODATA, NXDOMAIN and the SOA minimum as negative TTL")
    func negative() async throws {
        try await Resolver.withResolver(try configuration("EGRESSMAP_TEST_AUTH")) { dns in
            let noA = try await dns.lookup(try name("v6only.world.test"), .a)[0]
            #expect(noA.outcome == .nodata)
            #expect(noA.negativeTTL == 900)
            let v6 = try await dns.lookup(try name("v6only.world.test"), .aaaa)[0]
            #expect(v6.outcome == .ok)
            #expect(v6.addresses.map(\.address.description) == ["2a05:d014:10::3"])
            let missing = try await dns.lookup(try name("missing.world.test"), .a)[0]
            #expect(missing.outcome == .nxdomain)
            #expect(missing.rcode == 3)
            #expect(missing.negativeTTL == 900)
        }
    }

    @Test("a name with 24 A and 20 AAAA records gets every one")
    func many() async throws {
        try await Resolver.withResolver(try configuration()) { dns in
            let a = try await dns.lookup(try name("many.world.test"), .a)[0]
            let expectedA = Set((1...24).map { "5.188.11.\($0)" })
            #expect(Set(a.addresses.map(\.address.description)) == expectedA)
            let aaaa = try await dns.lookup(try name("many.world.test"), .aaaa)[0]
            let expectedAAAA = Set((1...20).map { "2a05:d014:11::\(String($0, radix: 16))" })
            #expect(Set(aaaa.addresses.map(\.address.description)) == expectedAAAA)
        }
    }

    @Test("faults from the scripted responder come out as their outcomes", arguments: [
        ("servfail", Outcome.servfail), ("refused", .refused), ("notimp", .error), ("formerr", .error),
        ("nxdomain", .nxdomain), ("garbage", .timeout), ("tc", .ok), ("ttlhigh", .ok), ("cnameloop", .badresponse),
    ])
    func faults(scenario: String, outcome: Outcome) async throws {
        try await Resolver.withResolver(try configuration("EGRESSMAP_TEST_FAULTS", timeout: .milliseconds(300), tries: 1)) { dns in
            let answer = try await dns.lookup(try name("\(scenario).f.test"), .a)[0]
            #expect(answer.outcome == outcome, "\(scenario): \(answer.detail ?? "")")
            if scenario == "ttlhigh" { #expect(answer.ttl == 0) }
        }
    }

    @Test("a silent server ends as timeout within the tries, and never hangs")
    func silent() async throws {
        let started = ContinuousClock.now
        let answer = try await Resolver.withResolver(
            try configuration("EGRESSMAP_TEST_DEAD", timeout: .milliseconds(200), tries: 2)
        ) { dns in try await dns.lookup(try name("dual.world.test"), .a)[0] }
        #expect(answer.outcome == .timeout)
        #expect(ContinuousClock.now - started < Faults.patient(.seconds(20)))  // a hang, not a speed
    }

    @Test("the batch deadline ends lookups at a silent server as timeout")
    func deadline() async throws {
        let started = ContinuousClock.now
        let answer = try await Resolver.withResolver(
            try configuration("EGRESSMAP_TEST_DEAD", timeout: .seconds(5), tries: 5)
        ) { dns in
            try await dns.lookup(try name("dual.world.test"), .a, deadline: .now + .milliseconds(300))[0]
        }
        #expect(answer.outcome == .timeout)
        #expect(answer.detail?.contains("deadline") == true)
        #expect(ContinuousClock.now - started < Faults.patient(.seconds(20)))  // a hang, not a speed
    }

    @Test("a cancelled lookup resumes with CancellationError and frees its window slot")
    func cancellation() async throws {
        try await Resolver.withResolver(
            try configuration("EGRESSMAP_TEST_FAULTS", timeout: .seconds(5), tries: 3, window: 1)
        ) { dns in
            let silent = Task { try await dns.lookup(try name("silent.f.test"), .a) }
            try await Task.sleep(for: .milliseconds(100))
            silent.cancel()
            await #expect(throws: CancellationError.self) { try await silent.value }
            // With a window of 1, this only runs if the abandoned query gave its slot back.
            let ok = try await dns.lookup(try name("ok.f.test"), .a, deadline: .now + .seconds(4))[0]
            #expect(ok.outcome == .ok)
            #expect(ok.addresses.map(\.address.description) == ["5.188.1.1"])
        }
    }

    @Test("shutting down resumes a lookup still waiting")
    func shutdown() async throws {
        let pending = try await Resolver.withResolver(
            try configuration("EGRESSMAP_TEST_DEAD", timeout: .seconds(5), tries: 3)
        ) { dns in
            let task = Task { try await dns.lookup(try name("dual.world.test"), .a)[0] }
            try await Task.sleep(for: .milliseconds(100))
            return task
        }
        let answer = try await pending.value
        #expect(answer.outcome == .error)
        #expect(answer.detail?.contains("shut down") == true)
    }

    @Test("failover asks the next server only when one fails")
    func failover() async throws {
        var configuration = try configuration(timeout: .milliseconds(200), tries: 1)
        configuration.servers.insert(try ServerAddress(parsing: try TestWorld.deadServer()), at: 0)
        configuration.mode = .failover
        let answers = try await Resolver.withResolver(configuration) { dns in
            try await dns.lookup(try name("v4.world.test"), .a)
        }
        #expect(answers.map(\.outcome) == [.timeout, .ok])
        #expect(answers[1].addresses.map(\.address.description) == ["5.188.10.3"])
    }

    @Test("union asks every server and keeps each one's answer")
    func union() async throws {
        var configuration = try configuration()
        configuration.servers.append(try ServerAddress(parsing: try TestWorld.value("EGRESSMAP_TEST_DNS6")))
        let answers = try await Resolver.withResolver(configuration) { dns in
            try await dns.lookup(try name("v4.world.test"), .a)
        }
        #expect(answers.map(\.server) == configuration.servers)
        #expect(answers.map(\.outcome) == [.ok, .ok])
    }
}
