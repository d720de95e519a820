/// An inclusive range of addresses of one family, `first` through `last`.
public struct IPRange: Hashable, Sendable {
    /// The first address in the range.
    public let first: IPAddress
    /// The last address in the range; never before `first`, always of the same family.
    public let last: IPAddress

    /// Builds the range `first...last`, or nil when the families differ or `last` comes before `first`.
    public init?(first: IPAddress, last: IPAddress) {
        guard first.family == last.family, first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// The range of exactly the addresses of `prefix`.
    public init(_ prefix: IPPrefix) {
        self.first = prefix.first
        self.last = prefix.last
    }

    init(_ parsed: ParsedRange) {
        switch parsed {
        case .v4(let first, let last):
            self.first = .v4(IPv4Address(first))
            self.last = .v4(IPv4Address(last))
        case .v6(let first, let last):
            self.first = .v6(IPv6Address(bits: first))
            self.last = .v6(IPv6Address(bits: last))
        }
    }

    /// The address family.
    public var family: IPFamily { first.family }

    /// Whether `address` lies inside the range.
    public func contains(_ address: IPAddress) -> Bool { first <= address && address <= last }

    /// The fewest CIDR prefixes that cover exactly this range, in address order.
    public var prefixes: [IPPrefix] {
        var result = [IPPrefix]()
        switch (first, last) {
        case (.v4(let a), .v4(let b)):
            forEachCIDR(from: a.value, through: b.value) { start, length in
                result.append(.v4(IPv4Prefix(containing: IPv4Address(start), length: length)))
            }
        case (.v6(let a), .v6(let b)):
            forEachCIDR(from: a.bits, through: b.bits) { start, length in
                result.append(.v6(IPv6Prefix(containing: IPv6Address(bits: start), length: length)))
            }
        default:
            preconditionFailure("an IPRange never mixes families")
        }
        return result
    }
}

extension IPRange: CustomStringConvertible {
    /// Parses one list entry: an address (`192.0.2.1`), a prefix (`192.0.2.0/24`) or a range
    /// (`192.0.2.10-192.0.2.20`, blanks around the dash allowed).
    public init(parsing text: String) throws(IPParseError) {
        self.init(try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            try IPRange.parseEntry(bytes, 0, bytes.count)
        })
    }

    /// `first-last`, or just the address when the range holds one.
    public var description: String { first == last ? first.description : "\(first)-\(last)" }
}
