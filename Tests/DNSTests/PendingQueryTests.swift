import Hostnames
import Testing

@testable import DNS

/// A finished query reused for another question (what a bulk resolve does with each of its queries) must
/// behave as a new one: armed once, ended once, with nothing of its first question left over.
@Suite("Reused queries")
struct PendingQueryTests {
    /// What a query's completion received, in order.
    final class Received: Sendable {
        private let results = Locked<[String]>([])
        var all: [String] { results.withLock { $0 } }

        func record(_ result: QueryResult) {
            let text = switch result {
            case .reply(let bytes, _): "reply \(bytes)"
            case .failure(let outcome, let detail, _): "failure \(outcome) \(detail)"
            case .cancelled: "cancelled"
            }
            results.withLock { $0.append(text) }
        }
    }

    @Test("a query reused after it ended asks the new question and ends once more")
    func reuseAfterCompletion() throws {
        let query = PendingQuery(name: try DomainName(validating: "first.test"), type: .a, deadline: nil, channel: nil)
        let first = Received()
        #expect(query.arm(.call { first.record($0) }) == nil)
        #expect(query.finish(.reply([1, 2], elapsed: .zero)))
        #expect(query.isFinished)

        let deadline = ContinuousClock.now + .seconds(5)
        query.reuse(name: try DomainName(validating: "second.test"), type: .aaaa, deadline: deadline, channel: nil)
        #expect(!query.isFinished)
        #expect(query.name.text == "second.test")
        #expect(query.type == .aaaa)
        #expect(query.deadline == deadline)
        let second = Received()
        #expect(query.arm(.call { second.record($0) }) == nil)
        #expect(query.finish(.failure(.timeout, detail: "late", elapsed: .zero)))
        #expect(!query.finish(.cancelled))  // ended already: this one loses
        #expect(first.all == ["reply [1, 2]"])
        #expect(second.all == ["failure timeout late"])
    }

    @Test("a query that ended before it was armed, reused, is armed as a new one")
    func reuseAfterEarlyEnd() throws {
        let query = PendingQuery(name: try DomainName(validating: "early.test"), type: .a, deadline: nil, channel: nil)
        #expect(query.finish(.cancelled))
        let early = query.arm(.call { _ in Issue.record("an early end runs no completion") })
        #expect(early.map { if case .cancelled = $0 { true } else { false } } == true)

        query.reuse(name: try DomainName(validating: "again.test"), type: .a, deadline: nil, channel: nil)
        let received = Received()
        #expect(query.arm(.call { received.record($0) }) == nil)  // the first end's result is not kept
        #expect(query.finish(.reply([7], elapsed: .zero)))
        #expect(received.all == ["reply [7]"])
    }
}
