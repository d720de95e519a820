import CAres
import Foundation
import TestSupport
import Testing

@testable import DNS

/// c-ares 1.18.1 ends a query with ECONNREFUSED whatever its socket met: a refused port, no route, a
/// firewall here or on the way. Each is reported as what it was, since that is what a firewall team acts
/// on; and each ends the query at once, not by a timeout.
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

    @Test("no route, a firewall here, a firewall on the way: each told as what it was", arguments: [
        // Only loopback in the test namespace: 192.0.2.1 (TEST-NET-1) has no route, and nothing leaves.
        ("192.0.2.1:53", "network unreachable (ENETUNREACH: no route to it from this host)"),
        ("\(LoopbackNetwork.blockedHere):53", "not permitted (EPERM: a firewall on this host blocks it)"),
        ("\(LoopbackNetwork.prohibitedOnTheWay):53",
         "host unreachable (EHOSTUNREACH: a router or firewall on the way rejects it)"),
    ])
    func unreachable(server: String, reason: String) async throws {
        try LoopbackNetwork.prepare()  // the rules, and a refusal outside a namespace holding only loopback
        let answer = try await lookup(at: server)
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.unreachable + reason)
    }

    @Test("nothing listens on the port: connection refused")
    func closedPort() async throws {
        let answer = try await lookup(at: "127.0.0.1:\(try FaultLoadTests.closedPort())")
        #expect(answer.outcome == .error)
        #expect(answer.detail == Self.refused)
    }

    /// How each reason begins.
    static let unreachable = "the server could not be reached: "
    /// What a refused port reads as.
    static let refused =
        unreachable + "connection refused (ECONNREFUSED: nothing listens on that port, or a firewall rejects)"

    @Test("with no socket error to name, ECONNREFUSED reads as c-ares means it; other statuses ignore the error")
    func withoutSocketError() {
        #expect(AresStatus.outcome(for: ARES_ECONNREFUSED, socketError: 0).1
            == "the server refused or closed the connection before a usable reply")
        let timeout = AresStatus.outcome(for: ARES_ETIMEOUT, socketError: ENETUNREACH)
        #expect(timeout.0 == .timeout)
        #expect(timeout.1 == "no reply within the timeout and tries")
    }
}
