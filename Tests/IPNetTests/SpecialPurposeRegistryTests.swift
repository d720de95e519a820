import IPNet
import Testing

/// One row of the expected registry: an address inside the block (and in no more specific one),
/// the block, its name and its "Globally Reachable" value (nil for N/A).
struct RegistryRow: Sendable, CustomTestStringConvertible {
    let sample: String
    let block: String
    let name: String
    let global: Bool?

    var testDescription: String { "\(block) (\(sample))" }
}

@Suite struct SpecialPurposeRegistryTests {
    static let rows: [RegistryRow] = [
        RegistryRow(sample: "0.1.2.3", block: "0.0.0.0/8", name: "\"This network\"", global: false),
        RegistryRow(sample: "0.0.0.0", block: "0.0.0.0/32", name: "\"This host on this network\"", global: false),
        RegistryRow(sample: "10.20.30.40", block: "10.0.0.0/8", name: "Private-Use", global: false),
        RegistryRow(sample: "100.127.255.255", block: "100.64.0.0/10", name: "Shared Address Space", global: false),
        RegistryRow(sample: "127.0.0.53", block: "127.0.0.0/8", name: "Loopback", global: false),
        RegistryRow(sample: "169.254.169.254", block: "169.254.0.0/16", name: "Link Local", global: false),
        RegistryRow(sample: "172.31.0.1", block: "172.16.0.0/12", name: "Private-Use", global: false),
        RegistryRow(sample: "192.0.0.100", block: "192.0.0.0/24", name: "IETF Protocol Assignments", global: false),
        RegistryRow(
            sample: "192.0.0.2", block: "192.0.0.0/29", name: "IPv4 Service Continuity Prefix", global: false
        ),
        RegistryRow(sample: "192.0.0.8", block: "192.0.0.8/32", name: "IPv4 dummy address", global: false),
        RegistryRow(sample: "192.0.0.9", block: "192.0.0.9/32", name: "Port Control Protocol Anycast", global: true),
        RegistryRow(
            sample: "192.0.0.10", block: "192.0.0.10/32", name: "Traversal Using Relays around NAT Anycast",
            global: true
        ),
        RegistryRow(sample: "192.0.0.170", block: "192.0.0.170/32", name: "NAT64/DNS64 Discovery", global: false),
        RegistryRow(sample: "192.0.0.171", block: "192.0.0.171/32", name: "NAT64/DNS64 Discovery", global: false),
        RegistryRow(sample: "192.0.2.1", block: "192.0.2.0/24", name: "Documentation (TEST-NET-1)", global: false),
        RegistryRow(sample: "192.31.196.1", block: "192.31.196.0/24", name: "AS112-v4", global: true),
        RegistryRow(sample: "192.52.193.1", block: "192.52.193.0/24", name: "AMT", global: true),
        RegistryRow(
            sample: "192.88.99.1", block: "192.88.99.0/24", name: "Deprecated (6to4 Relay Anycast)", global: nil
        ),
        RegistryRow(sample: "192.88.99.2", block: "192.88.99.2/32", name: "6a44-relay anycast address", global: false),
        RegistryRow(sample: "192.168.1.1", block: "192.168.0.0/16", name: "Private-Use", global: false),
        RegistryRow(
            sample: "192.175.48.6", block: "192.175.48.0/24", name: "Direct Delegation AS112 Service", global: true
        ),
        RegistryRow(sample: "198.19.255.255", block: "198.18.0.0/15", name: "Benchmarking", global: false),
        RegistryRow(
            sample: "198.51.100.7", block: "198.51.100.0/24", name: "Documentation (TEST-NET-2)", global: false
        ),
        RegistryRow(sample: "203.0.113.99", block: "203.0.113.0/24", name: "Documentation (TEST-NET-3)", global: false),
        RegistryRow(sample: "239.255.255.250", block: "224.0.0.0/4", name: "Multicast", global: false),
        RegistryRow(sample: "240.0.0.1", block: "240.0.0.0/4", name: "Reserved", global: false),
        RegistryRow(sample: "255.255.255.255", block: "255.255.255.255/32", name: "Limited Broadcast", global: false),
        RegistryRow(sample: "::1", block: "::1/128", name: "Loopback Address", global: false),
        RegistryRow(sample: "::", block: "::/128", name: "Unspecified Address", global: false),
        RegistryRow(sample: "::ffff:192.0.2.1", block: "::ffff:0.0.0.0/96", name: "IPv4-mapped Address", global: false),
        RegistryRow(sample: "64:ff9b::8.8.8.8", block: "64:ff9b::/96", name: "IPv4-IPv6 Translat.", global: true),
        RegistryRow(sample: "64:ff9b:1::1", block: "64:ff9b:1::/48", name: "IPv4-IPv6 Translat.", global: false),
        RegistryRow(sample: "100::dead", block: "100::/64", name: "Discard-Only Address Block", global: false),
        RegistryRow(sample: "100:0:0:1::1", block: "100:0:0:1::/64", name: "Dummy IPv6 Prefix", global: false),
        RegistryRow(sample: "2001:1ff::1", block: "2001::/23", name: "IETF Protocol Assignments", global: false),
        RegistryRow(sample: "2001:0:4136:e378::1", block: "2001::/32", name: "TEREDO", global: nil),
        RegistryRow(sample: "2001:1::1", block: "2001:1::1/128", name: "Port Control Protocol Anycast", global: true),
        RegistryRow(
            sample: "2001:1::2", block: "2001:1::2/128", name: "Traversal Using Relays around NAT Anycast",
            global: true
        ),
        RegistryRow(
            sample: "2001:1::3", block: "2001:1::3/128", name: "DNS-SD Service Registration Protocol Anycast",
            global: true
        ),
        RegistryRow(sample: "2001:2::1", block: "2001:2::/48", name: "Benchmarking", global: false),
        RegistryRow(sample: "2001:3::1", block: "2001:3::/32", name: "AMT", global: true),
        RegistryRow(sample: "2001:4:112::1", block: "2001:4:112::/48", name: "AS112-v6", global: true),
        RegistryRow(sample: "2001:10::1", block: "2001:10::/28", name: "Deprecated (previously ORCHID)", global: nil),
        RegistryRow(sample: "2001:2f::1", block: "2001:20::/28", name: "ORCHIDv2", global: true),
        RegistryRow(
            sample: "2001:30::1", block: "2001:30::/28", name: "Drone Remote ID Protocol Entity Tags (DETs) Prefix",
            global: true
        ),
        RegistryRow(sample: "2001:db8:1::1", block: "2001:db8::/32", name: "Documentation", global: false),
        RegistryRow(sample: "2002:c000:201::1", block: "2002::/16", name: "6to4", global: nil),
        RegistryRow(
            sample: "2620:4f:8000::1", block: "2620:4f:8000::/48", name: "Direct Delegation AS112 Service", global: true
        ),
        RegistryRow(sample: "3fff:fff::1", block: "3fff::/20", name: "Documentation", global: false),
        RegistryRow(sample: "5f00:1::1", block: "5f00::/16", name: "Segment Routing (SRv6) SIDs", global: false),
        RegistryRow(sample: "fd12:3456::1", block: "fc00::/7", name: "Unique-Local", global: false),
        RegistryRow(sample: "fe80::1", block: "fe80::/10", name: "Link-Local Unicast", global: false),
        RegistryRow(sample: "ff02::fb", block: "ff00::/8", name: "Multicast", global: false),
    ]

    @Test(arguments: rows)
    func classifiesEachRow(row: RegistryRow) throws {
        let block = try #require(classify(try IPAddress(parsing: row.sample)))
        #expect(block.prefix.description == row.block)
        #expect(block.name == row.name)
        #expect(block.globallyReachable == row.global)
        #expect(!block.rfc.isEmpty && !block.reason.isEmpty)
    }

    @Test func everyTableRowIsTested() {
        let tested = Set(Self.rows.map(\.block))
        let table = SpecialPurposeRegistry.blocks.map(\.prefix.description)
        #expect(Set(table) == tested)
        #expect(table.count == Self.rows.count)
    }

    @Test(arguments: ["8.8.8.8", "17.253.144.10", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1", "::2"])
    func leavesGlobalAddressesAlone(text: String) throws {
        #expect(classify(try IPAddress(parsing: text)) == nil)
    }

    @Test(arguments: [
        ("::ffff:10.1.2.3", "IPv4-mapped embeds 10.1.2.3"),
        ("64:ff9b::192.0.2.33", "NAT64 embeds 192.0.2.33"),
        ("64:ff9b:1:c000:2:2100::", "NAT64 embeds 192.0.2.33"),  // RFC 6052 /48 layout
        ("2002:c000:0201::1", "6to4 embeds 192.0.2.1"),
        // RFC 4380 section 4's example: server 65.54.227.120, client 192.0.2.45 (obfuscated).
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo client 192.0.2.45 via server 65.54.227.120"),
    ])
    func flagsTheEmbeddedIPv4(text: String, expected: String) throws {
        let address = try IPv6Address(parsing: text)
        #expect(embeddedIPv4(in: address)?.description == expected)
    }

    @Test func readsTheSinkholeReason() throws {
        let block = try #require(classify(try IPAddress(parsing: "0.0.0.1")))
        #expect(block.description.hasPrefix("0.0.0.0/8 — \"This network\""))
        #expect(block.reason.contains("sinkhole answers use 0.0.0.0"))
    }
}
