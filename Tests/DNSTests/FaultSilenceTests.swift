import Foundation
import Hostnames
import TestSupport
import Testing

@testable import DNS

/// Issue 10, cases 1 and 5: servers that stay silent, over UDP or after a truncated reply over TCP (also one
/// whose TCP port never completes a connect), end as failures within the timeout or the deadline, and never
/// hang. Scenarios: scripts/world/README.md.
@Suite("Faults: silence and truncation", .timeLimit(.minutes(5)))
struct FaultSilenceTests {
    @Test("1: silence ends as timeout after every try, each try sent once, no sooner than the timeout")
    func silentTries() async throws {
        let zone = Faults.zone("silent")
        let timeout = Duration.milliseconds(250)
        let answer = try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("silent.\(zone)"), .a)[0] }
        #expect(answer.outcome == .timeout)
        #expect(answer.rcode == nil)
        #expect(answer.addresses.isEmpty)
        #expect(answer.elapsed >= timeout)
        #expect(try Faults.received("silent.\(zone)", zone: zone) == ["udp", "udp"])
    }

    @Test("1: the deadline ends a silent lookup long before c-ares's own timeout")
    func silentDeadline() async throws {
        let zone = Faults.zone("silentdl")
        let answer = try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: .seconds(300), tries: 1),
            within: Faults.patient(.seconds(150))  // c-ares alone would wait 300 s
        ) { dns in
            try await dns.lookup(try Faults.name("silent.\(zone)"), .a, deadline: .now + .milliseconds(300))[0]
        }
        #expect(answer.outcome == .timeout)
        #expect(answer.detail?.contains("deadline") == true)
        #expect(try Faults.received("silent.\(zone)", zone: zone) == ["udp"])
    }

    @Test("1: AAAA silent, A answered: the A answer comes at once and intact, the AAAA one times out")
    func otherFamily() async throws {
        let zone = Faults.zone("silent6")
        let timeout = Duration.seconds(1)
        let resolution = try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in
            try await dns.resolve(NameJob(name: try Faults.name("silent6.\(zone)")), types: [.a, .aaaa], deadline: nil)
        }
        let a = try #require(resolution.lookups.first { $0.answer.type == .a }?.answer)
        let aaaa = try #require(resolution.lookups.first { $0.answer.type == .aaaa }?.answer)
        #expect(a.outcome == .ok)
        #expect(a.texts == Faults.goodA)
        #expect(a.ttl == 60)
        #expect(aaaa.outcome == .timeout)
        // The A reply does not wait for the silent AAAA query: it is read before AAAA's first timeout ends.
        #expect(a.elapsed < Faults.patient(timeout))
        #expect(aaaa.elapsed >= timeout)
    }

    @Test("1: in a batch under a deadline, silent names time out and the others are answered")
    func batchDeadline() async throws {
        let zone = Faults.zone("mixed")
        let names = (0..<40).map { $0 % 4 == 0 ? "silent.\($0).\(zone)" : "ok.\($0).\(zone)" }
        var pending = names.makeIterator()
        var answers: [String: LookupAnswer] = [:]
        try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: .seconds(300), tries: 1),
            within: Faults.patient(.seconds(150))  // c-ares alone would wait 300 s
        ) { dns in
            try await dns.resolveAll(
                types: [.a], deadline: .now + Faults.patient(.seconds(6)), concurrency: 20,
                next: { try pending.next().map { NameJob(name: try Faults.name($0)) } },
                each: { answers[$0.job.name.text] = $0.lookups[0].answer }
            )
        }
        #expect(answers.count == names.count)
        for name in names {
            let answer = try #require(answers[name])
            if name.hasPrefix("silent.") {
                #expect(answer.outcome == .timeout, "\(name)")
                #expect(answer.detail?.contains("deadline") == true, "\(name)")
            } else if answer.outcome == .ok {
                #expect(answer.texts == Faults.goodA, "\(name)")
            } else {
                // The only other honest end: the whole suite kept this process from sending it in time
                // (see Faults.bound). A name sent and then timed out would be the bug.
                #expect(answer.outcome == .timeout, "\(name)")
                #expect(answer.detail == "the deadline passed before it was sent", "\(name)")
            }
        }
    }

    @Test("1: resolve --timeout and --deadline: silence is a timeout at whichever comes first; exit 4")
    func silentCommandLine() throws {
        let zone = Faults.zone("silentcli")
        let server = try TestWorld.faults()
        let byTimeout = ContinuousClock.now
        let tries = try runEgressmap([
            "resolve", "--server", server, "--json", "--type", "A", "--timeout", "200ms", "--tries", "2",
            "silent.\(zone)",
        ])
        let triesTook = ContinuousClock.now - byTimeout
        let byDeadline = ContinuousClock.now
        let deadline = try runEgressmap([
            "resolve", "--server", server, "--json", "--type", "A", "--timeout", "\(300 * Faults.slowdown)s",
            "--deadline", "500ms",
            "silent.\(zone)",
        ])
        let deadlineTook = ContinuousClock.now - byDeadline
        for output in [tries, deadline] {
            #expect(output.status == 4, "\(output.stderr)")
            let line = try #require(
                try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stdout)")
            #expect(line["outcome"] as? String == "timeout")
        }
        #expect(deadline.stdout.contains("deadline"))
        #expect(triesTook < Faults.bound(timeout: .milliseconds(200), tries: 2))
        #expect(deadlineTook < Faults.patient(.seconds(150)))  // the first try alone would wait 300 s
        #expect(try Faults.received("silent.\(zone)", zone: zone) == ["udp", "udp", "udp"])
    }

    @Test("1: a batch at a silent server cancelled midway: every lookup resumes at once, nothing is left behind")
    func cancelledBatch() async throws {
        let zone = Faults.zone("cancel")
        try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: .seconds(300), tries: 1, window: 20),
            within: Faults.patient(.seconds(150))  // c-ares alone would wait 300 s
        ) { dns in
            var next = 0
            let batch = Task {
                try await dns.resolveAll(
                    types: [.a, .aaaa], deadline: nil, concurrency: 100,
                    next: {
                        defer { next += 1 }
                        return next < 500 ? NameJob(name: try Faults.name("silent.\(next).\(zone)")) : nil
                    },
                    each: { _ in }
                )
            }
            // Cancel once the window is full on the wire (faultd logs each query as it arrives).
            let filled = ContinuousClock.now + Faults.patient(.seconds(60))
            while try Faults.log(zone: zone).count < 20, ContinuousClock.now < filled {
                try await Task.sleep(for: .milliseconds(20))
            }
            batch.cancel()
            await #expect(throws: CancellationError.self) { try await batch.value }
            // The slots of the abandoned queries are free again: with a window of 20, this gets through.
            let ok = try await dns.lookup(try Faults.name("ok.\(zone)"), .a)[0]
            #expect(ok.texts == Faults.goodA)
        }
        let sent = try Faults.log(zone: zone).filter { $0.name.hasPrefix("silent.") }
        // The window was full before the cancel; after it no further name was taken from the input (100
        // names of 2 types in flight). Abandoned slots are freed at once (STYLE.md), so queries still queued
        // may go out while the cancel reaches every task: more than 20 is not a leak.
        #expect(sent.count >= 20)
        #expect(sent.count <= 2 * 101)
    }

    @Test("5: TC=1, then a good answer over TCP: ok, asked over UDP and then over TCP")
    func truncatedThenTCP() async throws {
        let zone = Faults.zone("tc")
        let answers = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            [
                try await dns.lookup(try Faults.name("tc.\(zone)"), .a)[0],
                try await dns.lookup(try Faults.name("tc.\(zone)"), .aaaa)[0],
            ]
        }
        #expect(answers.map(\.outcome) == [.ok, .ok])
        #expect(answers[0].texts == Faults.goodA)
        #expect(answers[1].texts == Faults.goodAAAA)
        #expect(try Faults.received("tc.\(zone)", "A", zone: zone) == ["udp", "tcp"])
        #expect(try Faults.received("tc.\(zone)", "AAAA", zone: zone) == ["udp", "tcp"])
    }

    @Test("5: TC=1, then a silent TCP connection: timeout within the tries, not a hang")
    func truncatedThenSilence() async throws {
        let zone = Faults.zone("tcsilent")
        let timeout = Duration.milliseconds(300)
        let answer = try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("tcsilent.\(zone)"), .a)[0] }
        #expect(answer.outcome == .timeout)
        #expect(answer.addresses.isEmpty)
        let transports = try Faults.received("tcsilent.\(zone)", zone: zone)
        #expect(transports.first == "udp")
        #expect(transports.contains("tcp"))
    }

    @Test("5: TC=1, then a TCP connect the server never completes: timeout within the tries, not TCP's two minutes")
    func truncatedThenChoked() async throws {
        let zone = Faults.zone("choked")
        let timeout = Duration.milliseconds(300)
        // The connect must not block the loop: a blocking socket waited for the kernel to give up on the SYNs.
        let answer = try await Faults.run(
            Faults.configuration([try Faults.choked()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("big.\(zone)"), .a)[0] }
        #expect(answer.outcome == .timeout)
        #expect(answer.addresses.isEmpty)
        // Asked over UDP and told to use TCP; the TCP attempts never reach faultd.
        #expect(try Faults.received("big.\(zone)", zone: zone).first == "udp")
    }

    @Test("5: TC=1, then garbage over TCP and a closed connection: a failure, not a hang")
    func truncatedThenGarbage() async throws {
        let zone = Faults.zone("tcgarbage")
        let timeout = Duration.milliseconds(300)
        let answer = try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("tcgarbage.\(zone)"), .a)[0] }
        #expect(answer.outcome == .error)
        #expect(answer.addresses.isEmpty)
        #expect(answer.detail?.contains("closed") == true, "\(answer.detail ?? "")")
        #expect(try Faults.received("tcgarbage.\(zone)", zone: zone).contains("tcp"))
    }

    @Test("6: a server that hangs up on one name's TCP retry: the names in flight beside it keep their answers")
    func hangUpSparesTheWindow() async throws {
        let zone = Faults.zone("hangup")
        let timeout = Duration.milliseconds(500)
        // `slow` answers after 200 ms: those queries are in flight while the server closes tcgarbage's
        // connections, which in c-ares 1.18.1 resent every query to that server and spent its tries.
        let names = try [Faults.name("tcgarbage.\(zone)")] + (0..<8).map { try Faults.name("slow.s\($0).\(zone)") }
        var outcomes: [String: Outcome] = [:]
        try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: 2),
            within: Faults.bound(timeout: timeout, tries: 2)
        ) { dns in
            var next = 0
            try await dns.resolveAll(
                types: [.a], deadline: nil,
                next: {
                    guard next < names.count else { return nil }
                    defer { next += 1 }
                    return NameJob(name: names[next])
                },
                each: { resolution in
                    for lookup in resolution.lookups { outcomes[resolution.job.name.text] = lookup.answer.outcome }
                }
            )
        }
        #expect(outcomes["tcgarbage.\(zone)"] == .error)
        for index in 0..<8 { #expect(outcomes["slow.s\(index).\(zone)"] == .ok, "slow.s\(index): \(outcomes)") }
        // Each slow name asked once: none was sent again because another name's connection closed.
        for index in 0..<8 {
            #expect(try Faults.received("slow.s\(index).\(zone)", zone: zone) == ["udp"], "slow.s\(index)")
        }
    }
}
