import CAres
import Foundation
import IPNet
import TestSupport
import Testing

@testable import DNS

/// c-ares 1.18.1 ends a query with ECONNREFUSED whatever its socket met: a refused port, no route, a
/// firewall here or on the way. Each is reported as what it was, with the ICMP error and its sender when one
/// came back, since that is what a firewall team acts on; and each ends the query at once, not by a timeout.
@Suite("Socket errors, told apart", .timeLimit(.minutes(5)))
struct SocketErrorTests {
    /// The A lookup of a.socket.test at `server`.
    func lookup(at server: String) async throws -> LookupAnswer {
        let answers = try await Faults.run(
            Faults.configuration([try ServerAddress(parsing: server)], timeout: .seconds(2), tries: 2),
            within: Faults.bound(timeout: .seconds(2), tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("a.socket.test"), .a) }
        return try #require(answers.first)
    }

    @Test("this host's own refusal: no route, its firewall, its routes", arguments: [
        // Only loopback in the test namespace: 192.0.2.1 (TEST-NET-1) has no route, and nothing leaves.
        ("192.0.2.1:53", "network unreachable (ENETUNREACH: no route to it from this host)"),
        ("\(LoopbackNetwork.blockedHere):53", "not permitted (EPERM: a firewall on this host blocks it)"),
        ("\(LoopbackNetwork.unreachableRoute):53", "host unreachable (EHOSTUNREACH: this host's routes reject it)"),
        ("\(LoopbackNetwork.prohibitedRoute):53",
         "not permitted (EACCES: this host's routes or firewall forbid it)"),
    ])
    func refusedHere(server: String, reason: String) async throws {
        try LoopbackNetwork.prepare()  // the rules, and a refusal outside a namespace holding only loopback
        let answer = try await lookup(at: server)
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.unreachable + reason)
    }

    @Test("an ICMP error from the way: what it said and who sent it", arguments: [
        (LoopbackNetwork.prohibitedOnTheWay,
         "host unreachable (EHOSTUNREACH: ICMP communication administratively prohibited from 127.0.0.89: "
            + "a router or firewall on the way rejects it)"),
        // Errors Linux deems soft: before the sockets asked with IP_RECVERR, these ran into the timeout.
        (LoopbackNetwork.hostUnreachableOnTheWay,
         "host unreachable (EHOSTUNREACH: ICMP host unreachable from 127.0.0.90: "
            + "a router or firewall on the way rejects it)"),
        (LoopbackNetwork.networkUnreachableOnTheWay,
         "network unreachable (ENETUNREACH: ICMP network unreachable from 127.0.0.91: "
            + "a router on the way has no route to it)"),
    ])
    func rejectedOnTheWay(address: String, reason: String) async throws {
        try LoopbackNetwork.prepare()
        let answer = try await lookup(at: "\(address):53")
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.unreachable + reason)
    }

    @Test("over IPv6, ICMPv6 errors the same way", arguments: [
        ("addr-unreachable", "host unreachable (EHOSTUNREACH: ICMPv6 address unreachable from ::1: "
            + "a router or firewall on the way rejects it)"),
        ("admin-prohibited", "not permitted (EACCES: ICMPv6 administratively prohibited from ::1: "
            + "a router or firewall on the way prohibits it)"),
    ])
    func rejectedOverIPv6(type: String, reason: String) async throws {
        let port = try FaultLoadTests.closedPort(ipv6: true)
        try LoopbackNetwork.rejectIPv6UDP(port: port, with: type)
        let answer = try await lookup(at: "[::1]:\(port)")
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.unreachable + reason)
    }

    @Test("a failover profile moves past a server a router rejects by the error, not by its timeout")
    func failoverPastRejected() async throws {
        try LoopbackNetwork.prepare()
        let servers = [
            try ServerAddress(parsing: "\(LoopbackNetwork.hostUnreachableOnTheWay):53"),
            try ServerAddress(parsing: try TestWorld.value("EGRESSMAP_TEST_DNS")),
        ]
        // A timeout longer than the bound: had the first server's queries waited for it, the test would fail
        // by its time limit as well as by the outcome.
        let answers = try await Faults.run(
            Faults.configuration(servers, mode: .failover, timeout: .seconds(60), tries: 2),
            within: Faults.bound(timeout: .seconds(1), tries: 1)
        ) { dns in try await dns.lookup(try Faults.name("v4.world.test"), .a) }
        #expect(answers.map(\.outcome) == [.error, .ok])
        #expect(answers.first?.detail?.contains("ICMP host unreachable from 127.0.0.90") == true)
        #expect(answers.last?.addresses.map(\.address.description) == ["5.188.10.3"])
    }

    @Test("nothing listens on the port: connection refused")
    func closedPort() async throws {
        let answer = try await lookup(at: "127.0.0.1:\(try FaultLoadTests.closedPort())")
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.refused)
    }

    /// How each reason begins.
    static let unreachable = "the server could not be reached: "
    /// What a refused port on 127.0.0.1 reads as.
    static let refused = unreachable
        + "connection refused (ECONNREFUSED: ICMP port unreachable from 127.0.0.1: "
        + "nothing listens on that port, or a firewall rejects)"

    @Test("with no socket failure to name, ECONNREFUSED reads as c-ares means it; other statuses ignore one")
    func withoutSocketFailure() {
        #expect(AresStatus.outcome(for: ARES_ECONNREFUSED).1
            == "the server refused or closed the connection before a usable reply")
        let timeout = AresStatus.outcome(for: ARES_ETIMEOUT, socketFailure: SocketFailure(errno: ENETUNREACH))
        #expect(timeout.0 == .timeout)
        #expect(timeout.1 == "no reply within the timeout and tries")
    }

    @Test("an ICMP error without a name, or without a sender, and an errno without a story")
    func unusualFailures() {
        let redirect = SocketFailure(
            errno: EHOSTUNREACH, icmp: .init(version6: false, type: 5, code: 1, sender: "")
        )
        #expect(redirect.reason
            == "host unreachable (EHOSTUNREACH: ICMP type 5 code 1: a router or firewall on the way rejects it)")
        let exceeded = SocketFailure(
            errno: EHOSTUNREACH, icmp: .init(version6: true, type: 3, code: 0, sender: "2001:db8::1")
        )
        #expect(exceeded.reason == "host unreachable (EHOSTUNREACH: ICMPv6 hop limit exceeded from 2001:db8::1: "
            + "a routing loop on the way, or a path longer than the hop limit)")
        #expect(SocketFailure(errno: EMSGSIZE).reason == "Message too long (errno \(EMSGSIZE))")
        #expect(SocketFailure(errno: EMFILE).reason
            == "out of file descriptors (EMFILE: egressmap's limit is reached (ulimit -n))")
        #expect(SocketFailure(errno: EAFNOSUPPORT).reason
            == "address family not supported (EAFNOSUPPORT: this host has IPv6 turned off)")
    }
}
