import Drift
import Testing

@testable import EgressMap

/// The shrink guard counts the published prefixes the proposed list no longer covers, not the lines gone.
@Suite("The shrink guard")
struct ShrinkGuardTests {
    static func judge(published old: [String], proposed new: [String]) -> Guards.Verdict {
        let file = AllowlistFile(name: "tcp-443", service: "tcp/443", prefixes: new.map {
            AllowlistEntry(prefix: $0, endpoints: ["e"], names: ["n"], stale: false)
        })
        return Guards.judge(
            names: 1, failed: 0, files: [file], all: new, published: ["tcp-443": old, "all": old],
            safety: RunRequest.Safety()
        )
    }

    static let eight = ["5.188.2.1/32", "5.188.2.2/31", "5.188.2.4/31", "5.188.2.6/32", "5.188.3.1/32",
                        "5.188.3.3/32", "5.188.3.5/32", "5.188.3.7/32"]

    @Test("a list that only grew, its prefixes merging into wider ones, publishes")
    func merged() {
        // .1–.15 and .17–.31 are eight prefixes; .0 and .16 found, all of it is one /27: no line left as it
        // was, no address lost.
        let split = ["5.188.2.1/32", "5.188.2.2/31", "5.188.2.4/30", "5.188.2.8/29", "5.188.2.17/32",
                     "5.188.2.18/31", "5.188.2.20/30", "5.188.2.24/29"]
        let verdict = Self.judge(published: split, proposed: ["5.188.2.0/27"])
        #expect(verdict.publish && verdict.exitCode == 0, "\(verdict)")
        // .7 found: 5.188.2.4/31 and 5.188.2.6/32 become 5.188.2.4/30; 5.188.2.8 is new.
        let grown = ["5.188.2.1/32", "5.188.2.2/31", "5.188.2.4/30", "5.188.2.8/32", "5.188.3.1/32",
                     "5.188.3.3/32", "5.188.3.5/32", "5.188.3.7/32"]
        #expect(Self.judge(published: Self.eight, proposed: grown).publish)
    }

    @Test("addresses no longer covered are lost, a prefix split in part counting as lost")
    func lost() {
        // 5.188.2.2/31 keeps only .2; three of the /32s are gone: 4 of 8 lost.
        let shrunk = ["5.188.2.1/32", "5.188.2.2/32", "5.188.2.4/31", "5.188.2.6/32", "5.188.3.1/32"]
        let verdict = Self.judge(published: Self.eight, proposed: shrunk)
        #expect(!verdict.publish && verdict.exitCode == 3)
        #expect(verdict.note == "shrink guard: tcp-443 would lose 4 of 8 prefixes (50%), all would lose 4 of 8 "
            + "prefixes (50%), more than --max-shrink 25%; nothing published, the allowlists in place are untouched "
            + "(--force publishes anyway)", "\(verdict.note ?? "")")
    }
}
