import Foundation
import Hostnames
import TestSupport
import Testing

@testable import DNS

/// Issue 10, case 14: load. A burst far larger than the window at a slow server must queue without
/// timing out, and a dead server among live ones must not cost the run its answers.
@Suite("Faults: load", .timeLimit(.minutes(10)))
struct FaultLoadTests {
    struct Tally: Sendable {
        var answered = 0
        var outcomes: [Outcome: Int] = [:]
        var wrong = 0
    }

    @Test("14: 50,000 names at a 20 ms server, 2,000 handed over at once: the window of 50 holds, no timeouts")
    func burst() async throws {
        let zone = Faults.zone("burst")
        let count = 50_000
        let configuration = Faults.configuration([try Faults.slow()], timeout: .milliseconds(500), tries: 2)
        #expect(configuration.window == ResolverConfiguration(servers: []).window)  // the default
        let measured = try await Faults.inBackground {
            try await Faults.measure(configuration) { dns in
                var next = 0
                var tally = Tally()
                // 2,000 names in flight against a window of 50: a query waits ~1 s in the queue, twice the
                // timeout, so a timer that started before the query went on the wire would fire.
                try await dns.resolveAll(
                    types: [.a], deadline: nil, concurrency: 2000,
                    next: {
                        guard next < count else { return nil }
                        defer { next += 1 }
                        return NameJob(name: try Faults.name("n\(next).\(zone)"))
                    },
                    each: { resolution in
                        let answer = resolution.lookups[0].answer
                        tally.answered += 1
                        tally.outcomes[answer.outcome, default: 0] += 1
                        if answer.outcome == .ok && answer.texts != Faults.goodA { tally.wrong += 1 }
                    }
                )
                return tally
            }
        }
        Faults.check(measured, within: Faults.patient(.seconds(300)))
        #expect(measured.result.answered == count)
        #expect(measured.result.outcomes == [.ok: count])
        #expect(measured.result.wrong == 0)
        let received = try Faults.log(zone: zone)
        // Each name went on the wire exactly once (no retry), and the server never held more than the window.
        #expect(received.count == count)
        #expect(Set(received.map(\.name)).count == count)
        let most = received.compactMap(\.pending).max() ?? 0
        #expect(most <= configuration.window, "the slow server held \(most) queries at once")
        #expect(most >= configuration.window / 2, "the window was never filled (\(most)): not a burst")
    }

    /// Whether connecting a UDP socket to `address`, port 53, fails (no packet is sent either way).
    static func connectFails(to address: String) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(53).bigEndian
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) != 0
            }
        }
    }

    @Test("a server the namespace has no route to: every query fails inside ares_send, and the batch hears of it at once")
    func unroutable() async throws {
        // 192.0.2.53 (TEST-NET-1) has no route inside the suite's loopback-only namespace, so the kernel
        // refuses the socket's connect and c-ares ends the query within ares_send, on the loop thread,
        // before it sleeps. Were the batch not woken then, every name would wait for the deadline instead.
        // Nothing is ever sent: unless a connect fails first, as only it can without a route, the test stops.
        try #require(Self.connectFails(to: "192.0.2.53"), "192.0.2.53 is routable here: run inside unshare -n")
        let server = try ServerAddress(parsing: "192.0.2.53:53")
        let count = 300
        var next = 0
        var outcomes: [Outcome: Int] = [:]
        try await Faults.run(Faults.configuration([server]), within: Faults.patient(.seconds(30))) { dns in
            try await dns.resolveAll(
                types: [.a, .aaaa], deadline: .now + .seconds(120),
                next: {
                    guard next < count else { return nil }
                    defer { next += 1 }
                    return NameJob(name: try Faults.name("n\(next).unroutable.test"))
                },
                each: { resolution in
                    for lookup in resolution.lookups { outcomes[lookup.answer.outcome, default: 0] += 1 }
                }
            )
        }
        #expect(outcomes == [.error: 2 * count])
    }

    /// A loopback UDP port that nothing listens on: bound for a moment to learn a free one, then closed.
    static func closedPort(ipv6: Bool = false) throws -> UInt16 {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var storage = sockaddr_storage()
        var length: socklen_t
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_addr = in6addr_loopback
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: address) { $0 }) }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: address) { $0 }) }
        }
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(bound)
        return withUnsafeBytes(of: &storage) { UInt16($0[2]) << 8 | UInt16($0[3]) }  // the port, both families
    }

    @Test("a closed port on loopback: every query of a burst ends refused, none by a timeout")
    func closedPortBurst() async throws {
        // The kernel answers each datagram with a port-unreachable error on the socket. Sends leave in
        // batches, so the error can surface in a batch's send instead of a read: either way c-ares must learn
        // of it and end the queries as refused. A lost error would leave them to time out instead.
        let server = try ServerAddress(parsing: "127.0.0.1:\(try Self.closedPort())")
        let count = 300
        var next = 0
        var details: [String: Int] = [:]
        try await Faults.run(
            Faults.configuration([server], timeout: .seconds(2), tries: 2), within: Faults.patient(.seconds(60))
        ) { dns in
            try await dns.resolveAll(
                types: [.a, .aaaa], deadline: nil,
                next: {
                    guard next < count else { return nil }
                    defer { next += 1 }
                    return NameJob(name: try Faults.name("n\(next).closed.test"))
                },
                each: { resolution in
                    for lookup in resolution.lookups {
                        details["\(lookup.answer.outcome) \(lookup.answer.detail ?? "-")", default: 0] += 1
                    }
                }
            )
        }
        #expect(details == ["error " + SocketErrorTests.refused: 2 * count])
    }

    @Test("14: one of three servers dead: the two live ones answer every name, the dead one times out")
    func oneDeadOfThree() async throws {
        let zone = Faults.zone("deadone")
        let servers = [try Faults.faults(), try Faults.dead(), try Faults.slow()]
        let count = 600
        let timeout = Duration.milliseconds(200)
        var next = 0
        var results: [String: [LookupAnswer]] = [:]
        try await Faults.run(
            Faults.configuration(servers, timeout: timeout, tries: 1), within: Faults.patient(.seconds(120))
        ) { dns in
            try await dns.resolveAll(
                types: [.a], deadline: nil,
                next: {
                    guard next < count else { return nil }
                    defer { next += 1 }
                    return NameJob(name: try Faults.name("ok.n\(next).\(zone)"))
                },
                each: { results[$0.job.name.text] = $0.lookups.map(\.answer) }
            )
        }
        #expect(results.count == count)
        var carried = 0
        for (name, answers) in results {
            #expect(answers.map(\.server) == servers, "\(name)")
            #expect(answers.map(\.outcome) == [.ok, .timeout, .ok], "\(name)")
            if answers.count == 3, answers[0].texts == Faults.goodA, answers[2].texts == Faults.goodA { carried += 1 }
        }
        #expect(carried == count)
    }
}
