/// An IPv4 or IPv6 CIDR prefix; IPv4 orders before IPv6, then by network address, then the shorter first.
public enum IPPrefix: Hashable, Comparable, Sendable {
    case v4(IPv4Prefix)
    case v6(IPv6Prefix)

    /// Builds the prefix of `length` bits that contains `address`; host bits are cleared.
    public init(containing address: IPAddress, length: Int) {
        switch address {
        case .v4(let v4): self = .v4(IPv4Prefix(containing: v4, length: length))
        case .v6(let v6): self = .v6(IPv6Prefix(containing: v6, length: length))
        }
    }

    /// The prefix holding just `address`: a `/32` or a `/128`.
    public init(host address: IPAddress) {
        self.init(containing: address, length: address.family.bitWidth)
    }

    /// The network address.
    public var address: IPAddress {
        switch self {
        case .v4(let prefix): .v4(prefix.address)
        case .v6(let prefix): .v6(prefix.address)
        }
    }

    /// The prefix length in bits.
    public var length: Int {
        switch self {
        case .v4(let prefix): prefix.length
        case .v6(let prefix): prefix.length
        }
    }

    /// The address family.
    public var family: IPFamily { address.family }

    /// The first address (the network address).
    public var first: IPAddress { address }

    /// The last address of the prefix.
    public var last: IPAddress {
        switch self {
        case .v4(let prefix): .v4(prefix.last)
        case .v6(let prefix): .v6(prefix.last)
        }
    }

    /// The number of addresses in the prefix.
    public var count: AddressCount {
        AddressCount(powerOfTwo: family.bitWidth - length)
    }

    /// Whether `address` lies inside the prefix; an address of the other family never does
    /// (`::ffff:10.0.0.1` is IPv6 and not inside `10.0.0.0/8`).
    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let prefix), .v4(let address)): prefix.contains(address)
        case (.v6(let prefix), .v6(let address)): prefix.contains(address)
        default: false
        }
    }

    /// Whether every address of `other` lies inside this prefix.
    public func contains(_ other: IPPrefix) -> Bool {
        switch (self, other) {
        case (.v4(let prefix), .v4(let other)): prefix.contains(other)
        case (.v6(let prefix), .v6(let other)): prefix.contains(other)
        default: false
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}

extension IPPrefix: CustomStringConvertible, LosslessStringConvertible {
    /// Parses `address/length` strictly; a host bit set is an error that suggests the network address.
    ///
    /// A bare address is read as a `/32` or `/128` only when `allowingBareAddress` is true.
    public init(parsing text: String, allowingBareAddress: Bool = false) throws(IPParseError) {
        self = try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            try IPPrefix.parse(bytes, 0, bytes.count, requireLength: !allowingBareAddress)
        }
    }

    /// Parses `address/length`, or returns nil when it is not a strict prefix.
    public init?(_ description: String) {
        guard let prefix = try? IPPrefix(parsing: description) else { return nil }
        self = prefix
    }

    /// The network address and its length, e.g. `17.0.0.0/8` or `2001:db8::/32`.
    public var description: String {
        switch self {
        case .v4(let prefix): prefix.description
        case .v6(let prefix): prefix.description
        }
    }

    /// Appends the text form to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        switch self {
        case .v4(let prefix): prefix.appendText(to: &buffer)
        case .v6(let prefix): prefix.appendText(to: &buffer)
        }
    }
}
