import DNS
import Hostnames
import IPNet
import Manifest
import Testing

@testable import Drift
@testable import EgressMap

/// What a name without addresses is said to lack: the name itself, or, through a CNAME, the chain's end.
@Suite("No-address findings")
struct NoAddressFindingTests {
    @Test("a dangling CNAME: the target is what does not exist, not the name", arguments: [
        (true, "cnx.example.com: its CNAME target gone.example.net does not exist (NXDOMAIN)"),
        (false, "cnx.example.com: the name does not exist (NXDOMAIN)"),
    ])
    func danglingCNAME(throughCNAME: Bool, message: String) throws {
        let manifest = try Manifest(
            yaml: "manifest: 1\nname: cn\nendpoints:\n  - host: cnx.example.com\n    ports: [443]\n", file: "cn.yaml"
        )
        let expansion = try manifest.expand()
        let name = try #require(expansion.targets.first?.name)
        let server = try ServerAddress(parsing: "127.0.0.1:53")
        let chain = throughCNAME ? [CNAMELink(name: "cnx.example.com", target: "gone.example.net", ttl: 300)] : []
        let lookups: [DomainName: [RoundLookup]] = [name: [RecordType.a, .aaaa].map { type in
            RoundLookup(round: 1, answer: LookupAnswer(
                name: name, type: type, server: server, outcome: .nxdomain, chain: chain, negativeTTL: 900
            ))
        }]
        let findings = Classifier(expansion: expansion).classify(lookups).findings.filter { $0.kind == "no-address" }
        #expect(findings.map(\.message) == [message])
        #expect(findings.first?.chain == (throughCNAME ? ["cnx.example.com → gone.example.net"] : []))
    }
}
