import TestSupport
import Testing

/// End-to-end runs of the built `egressmap cidr` subcommands: stdout, stderr and exit status.
@Suite struct CIDRCommandTests {
    @Test func mergePrintsIPv4FirstWithLengths() throws {
        let input = """
            # office
            2001:db8::1
            10.0.0.0/25   # first half

            10.0.0.128/25
            192.0.2.7
            ::ffff:192.0.2.7
            """
        let run = try runEgressmap(["cidr", "merge"], stdin: input)
        #expect(run.status == 0)
        #expect(run.stdout == "10.0.0.0/24\n192.0.2.7/32\n::ffff:192.0.2.7/128\n2001:db8::1/128\n")
        #expect(try runEgressmap(["cidr", "merge", "--v4"], stdin: input).stdout == "10.0.0.0/24\n192.0.2.7/32\n")
        #expect(
            try runEgressmap(["cidr", "merge", "--v6"], stdin: input).stdout
                == "::ffff:192.0.2.7/128\n2001:db8::1/128\n"
        )
    }

    @Test("a list saved on Windows: the byte order mark and CRLF line ends are not part of the entries")
    func mergeReadsWindowsText() throws {
        let run = try runEgressmap(["cidr", "merge"], stdin: "\u{FEFF}10.0.0.1\r\n10.0.0.0/24\r\n2001:db8::1\r\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "10.0.0.0/24\n2001:db8::1/128\n")
    }

    @Test func mergeRefusesABadLineAndPrintsNothing() throws {
        let run = try runEgressmap(["cidr", "merge"], stdin: "10.0.0.0/8\n# note\n10.0.0.1/8\n")
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "line 3: 10.0.0.1/8: host bits set; did you mean 10.0.0.0/8? (column 1)\n")
    }

    @Test func containsListsTheAddressesOutside() throws {
        let inside = try runEgressmap(["cidr", "contains", "17.0.0.0/8", "17.253.144.10", "17.1.1.1"])
        #expect(inside.status == 0 && inside.stdout.isEmpty)
        let outside = try runEgressmap(["cidr", "contains", "17.0.0.0/8", "17.1.1.1", "18.0.0.1", "::ffff:17.1.1.1"])
        #expect(outside.status == 1)
        #expect(outside.stdout == "18.0.0.1\n::ffff:17.1.1.1\n")
        let bad = try runEgressmap(["cidr", "contains", "17.0.0.0/33", "17.1.1.1"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("/33 is longer than the 32 bits of an IPv4 address"))
    }

    @Test func classifyNamesTheBlockOrSaysGlobal() throws {
        let run = try runEgressmap(["cidr", "classify", "0.0.0.1", "8.8.8.8", "2002:c000:201::1"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("0.0.0.1: 0.0.0.0/8 — \"This network\""))
        #expect(lines[0].contains("sinkhole answers use 0.0.0.0"))
        #expect(lines[1] == "8.8.8.8: global")
        #expect(lines[2].contains("6to4 embeds 192.0.2.1 (192.0.2.0/24 Documentation (TEST-NET-1))"))
        let bad = try runEgressmap(["cidr", "classify", "8.8.8.8", "010.1.1.1"])
        #expect(bad.status == 2 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("010.1.1.1: octet '010' has a leading zero"))
    }
}
