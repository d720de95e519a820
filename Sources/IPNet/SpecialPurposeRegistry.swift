/// The special-purpose address table that `classify(_:)` searches.
///
/// Source: IANA "IPv4 Special-Purpose Address Registry" and "IPv6 Special-Purpose Address Registry"
/// (https://www.iana.org/assignments/iana-ipv4-special-registry/ and .../iana-ipv6-special-registry/;
/// RFC 6890 as updated by RFC 8190 and later allocations), IPv6 registry as last updated 2025-10-09;
/// transcribed 2026-11-29. Multicast (224.0.0.0/4, RFC 5771; ff00::/8, RFC 4291) is added from the
/// multicast address-space registries: it is not in the special-purpose registries but is never a
/// unicast destination. Update this table, its date and `SpecialPurposeRegistryTests` together.
public enum SpecialPurposeRegistry {
    /// Every block, IPv4 first, in registry order; blocks nest (`192.0.0.9/32` inside `192.0.0.0/24`).
    public static let blocks: [SpecialPurposeBlock] = ipv4 + ipv6
    /// The prefix of each of `ipv4`, at the same position.
    static let ipv4Prefixes: [IPv4Prefix] = ipv4.map {
        guard case .v4(let prefix) = $0.prefix else { preconditionFailure("an IPv6 block in the IPv4 table") }
        return prefix
    }
    /// For each first byte of an IPv4 address, whether some block holds addresses that start with it.
    static let ipv4FirstBytes = firstBytes(ipv4Prefixes.map { (Int($0.first.value >> 24), Int($0.last.value >> 24)) })
    /// For each first byte of an IPv6 address, whether some block holds addresses that start with it.
    static let ipv6FirstBytes = firstBytes(ipv6Prefixes.map { (Int($0.first.bits >> 120), Int($0.last.bits >> 120)) })

    /// 256 flags, set for every byte from the first to the last of each range.
    private static func firstBytes(_ ranges: [(first: Int, last: Int)]) -> [Bool] {
        var flags = [Bool](repeating: false, count: 256)
        for range in ranges { for byte in range.first...range.last { flags[byte] = true } }
        return flags
    }

    /// The prefix of each of `ipv6`, at the same position.
    static let ipv6Prefixes: [IPv6Prefix] = ipv6.map {
        guard case .v6(let prefix) = $0.prefix else { preconditionFailure("an IPv4 block in the IPv6 table") }
        return prefix
    }

    static let ipv4: [SpecialPurposeBlock] = [
        .init("0.0.0.0/8", "\"This network\"", "RFC 791, section 3.2", global: false,
              "'this network'; sinkhole answers use 0.0.0.0, so a name resolving here is blocked, not hosted"),
        .init("0.0.0.0/32", "\"This host on this network\"", "RFC 1122, section 3.2.1.3", global: false,
              "the unspecified address; DNS sinkholes and blocklists answer 0.0.0.0 for names they block"),
        .init("10.0.0.0/8", "Private-Use", "RFC 1918", global: false,
              "private network: a public name resolving here is split-horizon DNS or a leaked internal record"),
        .init("100.64.0.0/10", "Shared Address Space", "RFC 6598", global: false,
              "carrier-grade NAT space between an ISP and its subscribers; not reachable from elsewhere"),
        .init("127.0.0.0/8", "Loopback", "RFC 1122, section 3.2.1.3", global: false,
              "this host itself; DNS filters answer 127.0.0.1 for names they block"),
        .init("169.254.0.0/16", "Link Local", "RFC 3927", global: false,
              "link-local autoconfiguration and cloud metadata services (169.254.169.254); never routed"),
        .init("172.16.0.0/12", "Private-Use", "RFC 1918", global: false,
              "private network: a public name resolving here is split-horizon DNS or a leaked internal record"),
        .init("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890, section 2.1", global: false,
              "reserved for IETF protocol assignments; not usable except through a more specific entry"),
        .init("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", global: false,
              "DS-Lite and 464XLAT tunnel endpoints inside a host or CPE; never a remote service"),
        .init("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", global: false,
              "a placeholder source address for hosts without IPv4; never a destination"),
        .init("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", global: true,
              "the PCP server anycast address; globally reachable, but a port-mapping service, not a vendor host"),
        .init("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", global: true,
              "the TURN server anycast address; globally reachable"),
        .init("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 section 2.2", global: false,
              "answered by DNS64 for ipv4only.arpa so hosts can learn the NAT64 prefix; never a real host"),
        .init("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 section 2.2", global: false,
              "answered by DNS64 for ipv4only.arpa so hosts can learn the NAT64 prefix; never a real host"),
        .init("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", global: false,
              "documentation range: an answer here is a placeholder copied from an example"),
        .init("192.31.196.0/24", "AS112-v4", "RFC 7535", global: true,
              "AS112 sink for reverse lookups of private space; globally reachable, not a vendor host"),
        .init("192.52.193.0/24", "AMT", "RFC 7450", global: true,
              "Automatic Multicast Tunneling relays; globally reachable"),
        .init("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", global: nil,
              "the deprecated 6to4 relay anycast block; it may be reassigned, so do not allowlist it"),
        .init("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751", global: false,
              "the 6a44 relay anycast address, served only inside an ISP"),
        .init("192.168.0.0/16", "Private-Use", "RFC 1918", global: false,
              "private network: a public name resolving here is split-horizon DNS or a leaked internal record"),
        .init("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", global: true,
              "AS112 sink for delegated zones; globally reachable, not a vendor host"),
        .init("198.18.0.0/15", "Benchmarking", "RFC 2544", global: false,
              "reserved for network benchmarking labs; never a production service"),
        .init("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", global: false,
              "documentation range: an answer here is a placeholder copied from an example"),
        .init("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", global: false,
              "documentation range: an answer here is a placeholder copied from an example"),
        .init("224.0.0.0/4", "Multicast", "RFC 5771", global: false,
              "multicast group addresses, not unicast hosts; a TCP allowlist entry here matches nothing useful"),
        .init("240.0.0.0/4", "Reserved", "RFC 1112, section 4", global: false,
              "reserved for future use; most stacks refuse to send to it"),
        .init("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919 section 7", global: false,
              "the limited broadcast address; never forwarded by a router"),
    ]

    static let ipv6: [SpecialPurposeBlock] = [
        .init("::1/128", "Loopback Address", "RFC 4291", global: false,
              "this host itself; DNS filters answer ::1 for names they block"),
        .init("::/128", "Unspecified Address", "RFC 4291", global: false,
              "the unspecified address; DNS sinkholes answer :: for names they block"),
        .init("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", global: false,
              "an IPv4 address written as IPv6; a AAAA answer here points at the embedded IPv4 host"),
        .init("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", global: true,
              "the well-known NAT64 prefix: synthesised by DNS64, reaches the embedded IPv4 through a translator"),
        .init("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", global: false,
              "the local-use NAT64 prefix: a translated IPv4 address valid only inside one network"),
        .init("100::/64", "Discard-Only Address Block", "RFC 6666", global: false,
              "remotely triggered black hole: traffic here is dropped on purpose"),
        .init("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", global: false,
              "a placeholder prefix for configuration examples; never a real host"),
        .init("2001::/23", "IETF Protocol Assignments", "RFC 2928", global: false,
              "reserved for IETF protocol assignments; not usable except through a more specific entry"),
        .init("2001::/32", "TEREDO", "RFC 4380, RFC 8190", global: nil,
              "a Teredo tunnel address: the IPv4 client behind NAT and its server are embedded in it"),
        .init("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", global: true,
              "the PCP server anycast address; globally reachable"),
        .init("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", global: true,
              "the TURN server anycast address; globally reachable"),
        .init("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", global: true,
              "the DNS-SD SRP anycast address; globally reachable"),
        .init("2001:2::/48", "Benchmarking", "RFC 5180", global: false,
              "reserved for network benchmarking labs; never a production service"),
        .init("2001:3::/32", "AMT", "RFC 7450", global: true,
              "Automatic Multicast Tunneling relays; globally reachable"),
        .init("2001:4:112::/48", "AS112-v6", "RFC 7535", global: true,
              "AS112 sink for reverse lookups of private space; globally reachable, not a vendor host"),
        .init("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", global: nil,
              "the retired ORCHID block; may be reassigned, so do not allowlist it"),
        .init("2001:20::/28", "ORCHIDv2", "RFC 7343", global: true,
              "cryptographic hash identifiers (ORCHIDv2), not locators; not a host to allowlist"),
        .init("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", global: true,
              "drone remote-ID entity tags, identifiers rather than locators"),
        .init("2001:db8::/32", "Documentation", "RFC 3849", global: false,
              "documentation range: an answer here is a placeholder copied from an example"),
        .init("2002::/16", "6to4", "RFC 3056", global: nil,
              "a 6to4 address: the IPv4 site it tunnels through is embedded in it"),
        .init("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", global: true,
              "AS112 sink for delegated zones; globally reachable, not a vendor host"),
        .init("3fff::/20", "Documentation", "RFC 9637", global: false,
              "documentation range: an answer here is a placeholder copied from an example"),
        .init("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", global: false,
              "SRv6 segment identifiers inside one operator's domain; never a remote host"),
        .init("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190", global: false,
              "unique local (private) addresses: a public name resolving here is split-horizon DNS or a leak"),
        .init("fe80::/10", "Link-Local Unicast", "RFC 4291", global: false,
              "link-local: meaningful only on one link, and needs a zone to be used at all"),
        .init("ff00::/8", "Multicast", "RFC 4291", global: false,
              "multicast group addresses, not unicast hosts; a TCP allowlist entry here matches nothing useful"),
    ]
}
