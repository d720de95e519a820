import Foundation
import IPNet
import TestSupport
import Testing

/// Seeded random lists, merged by IPNet, by `egressmap cidr merge` and by netaddr's `cidr_merge`.
@Suite struct MergePropertyTests {
    static let caseCount = 300
    static let lists: [RandomList] = (0..<caseCount).map { RandomList(seed: 0x6567_7265_7373 &+ UInt64($0)) }

    @Test func mergedListsCoverExactlyTheInputAndCannotMergeFurther() throws {
        for (index, list) in Self.lists.enumerated() {
            let set = try IPAddressSet(parsingList: list.lines.joined(separator: "\n"))
            let prefixes = set.prefixes
            #expect(prefixes == prefixes.sorted(), "case \(index): not sorted")
            let v4Base = UInt128(list.v4Base)
            #expect(coverage(of: prefixes, family: .v4, base: v4Base) == list.v4Covered, "case \(index)")
            #expect(coverage(of: prefixes, family: .v6, base: list.v6Base) == list.v6Covered, "case \(index)")
            for (left, right) in zip(prefixes, prefixes.dropFirst()) {
                #expect(left.last < right.first, "case \(index): \(left) overlaps \(right)")
                #expect(!areSiblings(left, right), "case \(index): \(left) and \(right) merge into one prefix")
            }
        }
    }

    @Test func libraryAndCommandAgreeWithNetaddr() throws {
        let expected = try netaddrMerge(Self.lists.map(\.lines))
        #expect(expected.count == Self.lists.count)
        for (index, list) in Self.lists.enumerated() {
            let reference = expected[index]
            let ours = try IPAddressSet(parsingList: list.lines.joined(separator: "\n")).prefixes
            let theirs = try reference.map { try IPPrefix(parsing: $0) }
            let input = list.lines.joined(separator: "\n")
            #expect(ours == theirs, "case \(index): IPNet differs from netaddr for:\n\(input)")
            #expect(ours.map(\.description) == reference.map(rfc5952Text), "case \(index): text differs")

            let run = try runEgressmap(["cidr", "merge"], stdin: list.lines.joined(separator: "\n") + "\n")
            #expect(run.status == 0 && run.stderr.isEmpty, "case \(index): \(run.stderr)")
            let printed = run.stdout.split(separator: "\n").map(String.init)
            #expect(printed == reference.map(rfc5952Text), "case \(index): egressmap cidr merge differs from netaddr")
        }
    }

    @Test func mixedEdgeCasesAgreeWithNetaddr() throws {
        let cases: [[String]] = [
            ["0.0.0.0/0", "::/0", "10.0.0.0/8"],
            ["255.255.255.255", "255.255.255.254", "0.0.0.0", "0.0.0.1"],
            ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "::"],
            ["0.0.0.1-255.255.255.254", "::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"],
            ["::ffff:10.0.0.0/104", "10.0.0.0/8", "::ffff:11.0.0.0/104", "::10.0.0.0/104"],
            ["2001:db8::/33", "2001:db8:8000::/33", "2001:db8::1", "2001:db9::/32"],
        ]
        let expected = try netaddrMerge(cases)
        for (index, lines) in cases.enumerated() {
            let ours = try IPAddressSet(parsingList: lines.joined(separator: "\n")).prefixes
            #expect(try ours == expected[index].map { try IPPrefix(parsing: $0) }, "edge case \(index)")
        }
    }

    /// Which offsets of the /16 or /112 region at `base` the prefixes of `family` cover.
    func coverage(of prefixes: [IPPrefix], family: IPFamily, base: UInt128) -> [Bool] {
        var covered = [Bool](repeating: false, count: 1 << 16)
        for prefix in prefixes where prefix.family == family {
            let (first, last): (UInt128, UInt128)
            switch prefix {
            case .v4(let v4): (first, last) = (UInt128(v4.first.value), UInt128(v4.last.value))
            case .v6(let v6): (first, last) = (v6.first.bits, v6.last.bits)
            }
            for offset in Int(first - base)...Int(last - base) { covered[offset] = true }
        }
        return covered
    }

    /// Whether two prefixes are the two halves of one shorter prefix.
    func areSiblings(_ left: IPPrefix, _ right: IPPrefix) -> Bool {
        guard left.family == right.family, left.length == right.length, left.length > 0 else { return false }
        let parent = IPPrefix(containing: left.address, length: left.length - 1)
        return parent.contains(right)
    }

    /// netaddr prints IPv4-compatible addresses (`::/96`) as `::a.b.c.d`, which RFC 5952 does not ask for;
    /// everything else it prints as RFC 5952 does. This turns its text into ours for comparison.
    func rfc5952Text(_ netaddrText: String) -> String {
        (try? IPPrefix(parsing: netaddrText))?.description ?? netaddrText
    }
}

/// Runs `scripts/cidr-netaddr-merge.py` over `cases` in one process and returns netaddr's merged prefixes per case.
func netaddrMerge(_ cases: [[String]]) throws -> [[String]] {
    let script = TestPaths.packageRoot.appendingPathComponent("scripts/cidr-netaddr-merge.py")
    var input = ""
    for (index, lines) in cases.enumerated() {
        input += "=== \(index)\n" + lines.joined(separator: "\n") + "\n"
    }
    let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path], stdin: input)
    guard run.status == 0 else {
        throw NetaddrUnavailable(detail: run.stderr.isEmpty ? "exit status \(run.status)" : run.stderr)
    }
    var result: [[String]] = []
    for line in run.stdout.split(separator: "\n") {
        if line.hasPrefix("=== ") { result.append([]) } else { result[result.count - 1].append(String(line)) }
    }
    return result
}

/// The comparison with netaddr could not run; the tests fail with this sentence rather than skip.
struct NetaddrUnavailable: Error, CustomStringConvertible {
    let detail: String
    var description: String {
        "netaddr reference unavailable (install it with `python3 -m pip install netaddr`): \(detail)"
    }
}
