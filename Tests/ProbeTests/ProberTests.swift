import Foundation
import IPNet
import Testing
import TestSupport

@testable import Probe

/// The prober against loopback: listeners opened here, bound-only ports (refused), an address whose packets
/// are dropped (timeout) and one answered with ICMP unreachable, set up in the suite's own namespace.
@Suite("Prober")
struct ProberTests {
    func target(_ address: String, _ port: UInt16) throws -> ProbeTarget {
        ProbeTarget(try IPAddress(parsing: address), port)
    }

    static let quick = ProbeSettings(concurrency: 16, timeout: .milliseconds(200))

    @Test(
        "errno maps to a verdict in one place",
        arguments: [
            (nil, ProbeVerdict.open), (ECONNREFUSED, .refused), (ECONNRESET, .refused), (ETIMEDOUT, .timeout),
            (ENETUNREACH, .unreachable), (EHOSTUNREACH, .unreachable), (EACCES, .unreachable),
            (EPERM, .unreachable), (EMFILE, .error), (EADDRNOTAVAIL, .error),
        ] as [(Int32?, ProbeVerdict)]
    )
    func verdicts(code: Int32?, verdict: ProbeVerdict) {
        #expect(ProbeVerdict(code.map(Errno.init)) == verdict)
    }

    @Test("IPv4 and IPv6: a listener is open, a bound port that does not listen is refused", arguments: ["127.0.0.1", "::1"])
    func openAndRefused(address: String) async throws {
        let listener = try LoopbackSocket(address)
        let closed = try LoopbackSocket(address, listening: false)
        let results = await Prober.probe(
            [try target(address, listener.port), try target(address, closed.port)], settings: Self.quick
        )
        #expect(results.map(\.verdict) == [.open, .refused])
        #expect(results.map(\.attempts) == [1, 1])
        #expect(results.map(\.detail) == [nil, "ECONNREFUSED"])
        #expect(results.allSatisfy { $0.elapsed < .milliseconds(200) })
    }

    @Test("dropped packets time out after one retry; with no retries, after one attempt")
    func timeout() async throws {
        try LoopbackNetwork.prepare()
        let started = ContinuousClock.now
        let retried = await Prober.probe([try target(LoopbackNetwork.dropped, 443)], settings: Self.quick)
        #expect(ContinuousClock.now - started >= .milliseconds(400))
        #expect(retried.map(\.verdict) == [.timeout])
        #expect(retried.map(\.attempts) == [2])
        #expect(retried.first?.detail == nil)
        let once = await Prober.probe(
            [try target(LoopbackNetwork.dropped, 443)],
            settings: ProbeSettings(timeout: .milliseconds(200), retries: 0)
        )
        #expect(once.map(\.verdict) == [.timeout])
        #expect(once.map(\.attempts) == [1])
    }

    @Test("IPv6: a dropped port on ::1 times out after one retry")
    func ipv6Timeout() async throws {
        let droppedPort = try LoopbackSocket("::1")
        try LoopbackNetwork.dropIPv6(port: droppedPort.port)
        let results = await Prober.probe([try target("::1", droppedPort.port)], settings: Self.quick)
        #expect(results.map(\.verdict) == [.timeout])
        #expect(results.map(\.attempts) == [2])
    }

    @Test("an ICMP host-unreachable answer is unreachable, not retried")
    func unreachable() async throws {
        try LoopbackNetwork.prepare()
        let results = await Prober.probe([try target(LoopbackNetwork.rejected, 443)], settings: Self.quick)
        #expect(results.map(\.verdict) == [.unreachable])
        #expect(results.map(\.attempts) == [1])
        #expect(results.first?.detail == "EHOSTUNREACH")
    }

    @Test("IPv6: an ICMPv6 address-unreachable answer, and no route at all, are unreachable, not retried")
    func ipv6Unreachable() async throws {
        let rejectedPort = try LoopbackSocket("::1")
        try LoopbackNetwork.rejectIPv6(port: rejectedPort.port)
        // The namespace holds only lo (checked by the call above), so the documentation prefix has no route and
        // the kernel refuses the connect without sending anything.
        let results = await Prober.probe(
            [try target("::1", rejectedPort.port), try target("2001:db8::1", 443)],
            settings: ProbeSettings(timeout: .milliseconds(1500), retries: 0)
        )
        #expect(results.map(\.verdict) == [.unreachable, .unreachable])
        #expect(results.map(\.attempts) == [1, 1])
        #expect(results.map(\.detail) == ["EHOSTUNREACH", "ENETUNREACH"])
        // A reject on this machine answers the SYN while connect() still holds the socket, and Linux keeps that
        // first ICMPv6 error as a soft one: the SYN sent again a second later gets the error that ends the
        // connect (IPv4's reject ends it at once). A timeout under a second reads as a timeout here; the
        // default timeout outlasts it.
        #expect(results[0].elapsed < .milliseconds(1500))
        #expect(ProbeSettings.defaultTimeout > .milliseconds(1200))
    }

    @Test("at most `concurrency` attempts at once: three dropped targets one at a time take three timeouts")
    func concurrencyBound() async throws {
        try LoopbackNetwork.prepare()
        let targets = try [1, 2, 3].map { try target(LoopbackNetwork.dropped, UInt16(1000 + $0)) }
        let started = ContinuousClock.now
        let serial = await Prober.probe(
            targets, settings: ProbeSettings(concurrency: 1, timeout: .milliseconds(200), retries: 0)
        )
        #expect(ContinuousClock.now - started >= .milliseconds(600))
        #expect(serial.map(\.verdict) == [.timeout, .timeout, .timeout])
    }

    @Test("results follow the input order; a duplicate is probed once and shares its result")
    func orderAndDuplicates() async throws {
        let listener = try LoopbackSocket("127.0.0.1")
        let closed = try LoopbackSocket("127.0.0.1", listening: false)
        let open = try target("127.0.0.1", listener.port)
        let refused = try target("127.0.0.1", closed.port)
        let results = await Prober.probe([refused, open, refused], settings: Self.quick)
        #expect(results.map(\.target) == [refused, open, refused])
        #expect(results.map(\.verdict) == [.refused, .open, .refused])
        #expect(results[0] == results[2])
    }

    @Test("cancelling the task ends the batch at once; unfinished targets say cancelled")
    func cancellation() async throws {
        try LoopbackNetwork.prepare()
        let dropped = try target(LoopbackNetwork.dropped, 443)
        let started = ContinuousClock.now
        let task = Task { await Prober.probe([dropped], settings: ProbeSettings(timeout: .seconds(10))) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let results = await task.value
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(results.map(\.verdict) == [.error])
        #expect(results.first?.detail == "cancelled")
    }

    @Test("the batch's deadline ends what is on the wire and what never started: error, detail deadline")
    func deadline() async throws {
        try LoopbackNetwork.prepare()
        let listener = try LoopbackSocket("127.0.0.1")
        let open = try target("127.0.0.1", listener.port)
        let first = try target(LoopbackNetwork.dropped, 443)
        let second = try target(LoopbackNetwork.dropped, 444)
        let started = ContinuousClock.now
        // One at a time: the listener answers at once; the first dropped target is on the wire when the deadline
        // comes, long before its 10 s timeout; the second never starts.
        let results = await Prober.probe(
            [open, first, second],
            settings: ProbeSettings(concurrency: 1, timeout: .seconds(10), deadline: .milliseconds(300))
        )
        let elapsed = ContinuousClock.now - started
        #expect(results.map(\.verdict) == [.open, .error, .error])
        #expect(results.map(\.detail) == [nil, "deadline", "deadline"])
        #expect(results.map(\.attempts) == [1, 1, 0])
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(5))
        withExtendedLifetime(listener) {}
    }

    @Test("a thousand pairs at the default concurrency: every listener open, every bound-only port refused")
    func thousandPairs() async throws {
        let listener = try LoopbackSocket("0.0.0.0")
        let closed = try LoopbackSocket("0.0.0.0", listening: false)
        var targets: [ProbeTarget] = []
        for host in 1...500 {
            let address = IPAddress.v4(IPv4Address(0x7F00_0100 + UInt32(host)))  // 127.0.1.1 ... 127.0.2.244
            targets.append(ProbeTarget(address, listener.port))
            targets.append(ProbeTarget(address, closed.port))
        }
        let results = await Prober.probe(targets, settings: ProbeSettings(timeout: .seconds(2)))
        #expect(results.count == 1000)
        #expect(results.filter { $0.target.port == listener.port }.allSatisfy { $0.verdict == .open })
        #expect(results.filter { $0.target.port == closed.port }.allSatisfy { $0.verdict == .refused })
    }
}
