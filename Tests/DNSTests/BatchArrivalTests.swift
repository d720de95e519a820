import Foundation
import Hostnames
import Synchronization
import Testing

@testable import DNS

/// A batch whose input arrives at its own pace (`resolveAll(…arrival:next:beforeWaiting:each:)`): `next`
/// says `.notYet`, and the batch goes on once `InputArrival` is signalled.
@Suite("Batch input that arrives later", .timeLimit(.minutes(5)))
struct BatchArrivalTests {
    struct GaveUp: Error {}

    /// What a test's batch saw. `@unchecked Sendable`: only the batch's callbacks touch it, one at a time, and
    /// the test reads it after the batch has returned.
    final class Seen: @unchecked Sendable {
        var given = 0
        var answered: [Int] = []
        var waits = 0
        var waitsWithNothingInFlight = 0
        var outcomes: [String: Outcome] = [:]
    }

    @Test("each name is given only after the one before it was answered, and every one is asked and answered")
    func oneAtATime() async throws {
        let zone = Faults.zone("arrival")
        let count = 5
        let arrival = InputArrival()
        // How many names the "input" has delivered; written by the delivering threads, read by `next`.
        let delivered = Atomic(1)
        let seen = Seen()
        try await Self.stream(
            arrival: arrival,
            next: {
                let available = min(count, delivered.load(ordering: .acquiring))
                guard seen.given < available else { return seen.given == count ? .end : .notYet }
                defer { seen.given += 1 }
                return .name(NameJob(name: try Faults.name("ok.\(seen.given).\(zone)"), line: seen.given))
            },
            beforeWaiting: {
                seen.waits += 1
                if seen.answered.count == seen.given { seen.waitsWithNothingInFlight += 1 }
            },
            each: { resolution in
                if resolution.lookups.first?.answer.texts == Faults.goodA {
                    seen.answered.append(resolution.job.line ?? -1)
                }
                // The next name arrives a moment later, from another thread, while the batch waits with
                // nothing in flight.
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 0.05)
                    delivered.add(1, ordering: .releasing)
                    arrival.signal()
                }
            }
        )
        #expect(seen.answered == Array(0..<count))
        #expect(seen.given == count)
        // At least once per name that the batch waited for, with nothing in flight.
        #expect(
            seen.waitsWithNothingInFlight >= count - 1,
            "waits \(seen.waits), with nothing in flight \(seen.waitsWithNothingInFlight)"
        )
    }

    @Test("a signal that comes while the batch is busy is kept: the batch, with nothing in flight, goes on")
    func signalWhileBusy() async throws {
        let zone = Faults.zone("arrivalbusy")
        let arrival = InputArrival()
        let seen = Seen()
        try await Self.stream(
            arrival: arrival,
            next: {
                // The name arrives (and is signalled, once) while the batch is in this call, before it is told
                // "not yet": with nothing in flight, only the kept signal wakes it.
                seen.given += 1
                switch seen.given {
                case 1:
                    arrival.signal()
                    return .notYet
                case 2: return .name(NameJob(name: try Faults.name("ok.late.\(zone)")))
                default: return .end
                }
            },
            each: { resolution in
                if resolution.lookups.first?.answer.texts == Faults.goodA { seen.answered.append(1) }
            }
        )
        #expect(seen.answered.count == 1)
        #expect(seen.given == 3)
    }

    @Test("with a time limit per name, a silent name times out alone, and a name taken after that is answered")
    func timeLimitPerName() async throws {
        let zone = Faults.zone("namelimit")
        let arrival = InputArrival()
        let seen = Seen()
        // c-ares alone would wait 300 s for the silent name: only its own time limit ends it. The second name
        // is taken only once the first has ended, past the first one's limit: a limit for the batch as a whole
        // would end it at once.
        let names = [try Faults.name("silent.first.\(zone)"), try Faults.name("ok.second.\(zone)")]
        try await Self.stream(
            timeout: .seconds(300), nameTimeLimit: .milliseconds(300), arrival: arrival,
            next: {
                guard seen.given < names.count else { return .end }
                guard seen.given <= seen.outcomes.count else { return .notYet }
                defer { seen.given += 1 }
                return .name(NameJob(name: names[seen.given]))
            },
            each: { resolution in
                seen.outcomes[resolution.job.name.text] = resolution.lookups.first?.answer.outcome
                if resolution.lookups.first?.answer.texts == Faults.goodA { seen.answered.append(1) }
                arrival.signal()
            }
        )
        #expect(seen.outcomes["silent.first.\(zone)"] == .timeout)
        #expect(seen.outcomes["ok.second.\(zone)"] == .ok)
        #expect(seen.answered.count == 1)
    }

    @Test("with no types to ask, a name that comes later is still handed back, with no lookups")
    func noTypes() async throws {
        let arrival = InputArrival()
        let seen = Seen()
        try await Self.stream(
            types: [], arrival: arrival,
            next: {
                seen.given += 1
                switch seen.given {
                case 1:
                    Thread.detachNewThread {
                        Thread.sleep(forTimeInterval: 0.05)
                        arrival.signal()
                    }
                    return .notYet
                case 2: return .name(NameJob(name: try Faults.name("late.example"), line: 7))
                default: return .end
                }
            },
            beforeWaiting: { seen.waits += 1 },
            each: { resolution in
                if resolution.lookups.isEmpty { seen.answered.append(resolution.job.line ?? -1) }
            }
        )
        #expect(seen.answered == [7])
        #expect(seen.waits == 1)
    }

    /// Runs one batch of `types` against the fault responder with `arrival`, its callbacks off the loop
    /// thread, and checks what `Faults.run` checks. A batch that waits for a signal that never wakes it is
    /// cancelled after 30 s (stretched under a sanitizer) and fails the test with `GaveUp`, where it would
    /// otherwise hang.
    static func stream(
        types: [RecordType] = [.a], timeout: Duration = .seconds(1), nameTimeLimit: Duration? = nil,
        arrival: InputArrival, next: @escaping @Sendable () throws -> NextName,
        beforeWaiting: @escaping @Sendable () -> Void = {}, each: @escaping @Sendable (NameResolution) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let configuration = Faults.configuration([try Faults.faults()], timeout: timeout, tries: 1)
        let bound = Faults.patient(.seconds(60))
        try await Faults.run(configuration, within: bound, sourceLocation: sourceLocation) { dns in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await dns.resolveAll(
                        types: types, deadline: nil, nameTimeLimit: nameTimeLimit, callbacksMayWait: true,
                        arrival: arrival, next: next, beforeWaiting: beforeWaiting, each: each
                    )
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: Faults.patient(.seconds(30)))
                    return false
                }
                let finished = try await group.next()!
                group.cancelAll()
                if !finished { throw GaveUp() }
            }
        }
    }
}
