import Drift
import Testing

@testable import EgressMap

/// How an address outside a `within` range is said to have been reached.
@Suite("The chain to an address outside a range")
struct OutsideChainTests {
    @Test("an answer's chain is its lookup's; an address kept from history has none (this run's did not lead to it)")
    func staleHasNoChain() {
        var name = SnapshotWritingTests.full("b.example").names[0]
        name.lookups[0].type = "A"
        name.lookups[0].chain = [ChainLink(name: "b.example", target: "edge.cdn.example", ttl: 60)]
        name.lookups[1].type = "AAAA"
        name.lookups[1].chain = [ChainLink(name: "b.example", target: "sinkhole.example", ttl: 60)]
        var answer = name.addresses[0]
        answer.type = "A"
        answer.source = "answer"
        #expect(ReachabilityStage.chain(name, of: answer) == ["b.example → edge.cdn.example"])
        var stale = answer
        stale.source = "stale"
        #expect(ReachabilityStage.chain(name, of: stale).isEmpty)
    }
}
