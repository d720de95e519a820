/// A block of the IANA special-purpose registries (or multicast): what it is and why a firewall team cares.
public struct SpecialPurposeBlock: Hashable, Sendable, CustomStringConvertible {
    /// The registered block.
    public let prefix: IPPrefix
    /// The registry's name for the block, e.g. `Private-Use`.
    public let name: String
    /// The defining RFC(s) as the registry cites them, e.g. `RFC 1918`.
    public let rfc: String
    /// The registry's "Globally Reachable" column; nil where the registry says N/A.
    public let globallyReachable: Bool?
    /// Why an allowlist author would want to know, in one sentence.
    public let reason: String

    init(_ prefix: String, _ name: String, _ rfc: String, global: Bool?, _ reason: String) {
        do {
            self.prefix = try IPPrefix(parsing: prefix)
        } catch {
            preconditionFailure("special-purpose table row \(prefix): \(error)")
        }
        self.name = name
        self.rfc = rfc
        self.globallyReachable = global
        self.reason = reason
    }

    /// `<prefix> — <name> (<RFC>): <reason>`.
    public var description: String { "\(prefix) — \(name) (\(rfc)): \(reason)" }
}

/// The most specific special-purpose block holding `address`, or nil for an ordinary global address.
///
/// IPv4-mapped IPv6 addresses stay IPv6 and match `::ffff:0:0/96`; see `embeddedIPv4(in:)` for the IPv4 inside.
public func classify(_ address: IPAddress) -> SpecialPurposeBlock? {
    // Each family's prefixes are scanned as plain values, not the blocks: each block looked at was a copy
    // retaining its three texts, and an `IPPrefix` is matched family first; that cost most of classifying a
    // run's addresses.
    // Nearly every answer is an ordinary global address, which its first byte tells apart from every block.
    switch address {
    case .v4(let v4):
        guard SpecialPurposeRegistry.ipv4FirstBytes[Int(v4.value >> 24)] else { return nil }
        let prefixes = SpecialPurposeRegistry.ipv4Prefixes
        return longest(prefixes, length: \.length) { $0.contains(v4) }.map { SpecialPurposeRegistry.ipv4[$0] }
    case .v6(let v6):
        guard SpecialPurposeRegistry.ipv6FirstBytes[Int(v6.bits >> 120)] else { return nil }
        let prefixes = SpecialPurposeRegistry.ipv6Prefixes
        return longest(prefixes, length: \.length) { $0.contains(v6) }.map { SpecialPurposeRegistry.ipv6[$0] }
    }
}

/// The position of the longest of `prefixes` that `holds` accepts; the first of them when several are as long.
private func longest<Prefix>(_ prefixes: [Prefix], length: (Prefix) -> Int, where holds: (Prefix) -> Bool) -> Int? {
    var best: Int?
    for index in prefixes.indices where holds(prefixes[index]) {
        if best.map({ length(prefixes[index]) > length(prefixes[$0]) }) ?? true { best = index }
    }
    return best
}

/// An IPv4 address carried inside an IPv6 address, and the mechanism that carries it.
public struct EmbeddedIPv4: Hashable, Sendable, CustomStringConvertible {
    public enum Mechanism: String, Hashable, Sendable {
        case ipv4Mapped = "IPv4-mapped"
        case nat64 = "NAT64"
        case sixToFour = "6to4"
        case teredo = "Teredo"
    }

    /// How the address is carried.
    public let mechanism: Mechanism
    /// The embedded address: the mapped or translated host, the 6to4 site, or the Teredo client.
    public let address: IPv4Address
    /// For Teredo only: the Teredo server's address.
    public let teredoServer: IPv4Address?

    /// E.g. `6to4 embeds 192.0.2.1` or `Teredo client 192.0.2.1 via server 198.51.100.1`.
    public var description: String {
        if let teredoServer { return "Teredo client \(address) via server \(teredoServer)" }
        return "\(mechanism.rawValue) embeds \(address)"
    }
}

/// The IPv4 address embedded in an IPv4-mapped, NAT64 (RFC 6052), 6to4 or Teredo address; nil otherwise.
public func embeddedIPv4(in address: IPv6Address) -> EmbeddedIPv4? {
    let high = address.high
    let low = address.low
    let low32 = UInt32(truncatingIfNeeded: low)
    if high == 0, low >> 32 == 0xffff {
        return EmbeddedIPv4(mechanism: .ipv4Mapped, address: IPv4Address(low32), teredoServer: nil)
    }
    if high == 0x0064_ff9b_0000_0000, low >> 32 == 0 {
        return EmbeddedIPv4(mechanism: .nat64, address: IPv4Address(low32), teredoServer: nil)
    }
    if high >> 16 == 0x0064_ff9b_0001 {
        // RFC 6052 section 2.2, a /48: bits 48-63 hold the first half, bits 64-71 are zero, 72-87 the second.
        let value = UInt32(truncatingIfNeeded: high & 0xffff) << 16 | UInt32(truncatingIfNeeded: low >> 40 & 0xffff)
        return EmbeddedIPv4(mechanism: .nat64, address: IPv4Address(value), teredoServer: nil)
    }
    if high >> 48 == 0x2002 {
        let value = UInt32(truncatingIfNeeded: high >> 16)
        return EmbeddedIPv4(mechanism: .sixToFour, address: IPv4Address(value), teredoServer: nil)
    }
    if high >> 32 == 0x2001_0000 {
        // RFC 4380 section 4: the server in bits 32-63, the client obfuscated (inverted) in the last 32 bits.
        return EmbeddedIPv4(
            mechanism: .teredo,
            address: IPv4Address(~low32),
            teredoServer: IPv4Address(UInt32(truncatingIfNeeded: high))
        )
    }
    return nil
}
