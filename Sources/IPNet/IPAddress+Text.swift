extension IPv6Address {
    /// The address as one 128-bit integer.
    @inlinable
    public var bits: UInt128 { UInt128(high) << 64 | UInt128(low) }

    /// Builds an address from its 128-bit integer value.
    @inlinable
    public init(bits: UInt128) {
        self.init(high: UInt64(truncatingIfNeeded: bits >> 64), low: UInt64(truncatingIfNeeded: bits))
    }

    /// The embedded IPv4 address when this is IPv4-mapped (`::ffff:a.b.c.d`), else nil.
    public var ipv4Mapped: IPv4Address? {
        high == 0 && low >> 32 == 0xffff ? IPv4Address(UInt32(truncatingIfNeeded: low)) : nil
    }
}

/// The address family: IPv4 or IPv6.
public enum IPFamily: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4
    case v6

    /// The number of bits in an address of this family: 32 or 128.
    public var bitWidth: Int { self == .v4 ? 32 : 128 }

    public var description: String { self == .v4 ? "IPv4" : "IPv6" }
}

extension IPAddress: CustomStringConvertible, LosslessStringConvertible {
    /// Parses an IPv4 or IPv6 address strictly; text with a ':' is read as IPv6.
    public init(parsing text: String) throws(IPParseError) {
        self = try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            try IPAddress.parse(bytes, 0, bytes.count)
        }
    }

    /// Parses an address, or returns nil when it is not a strict IPv4 or IPv6 address.
    public init?(_ description: String) {
        guard let address = try? IPAddress(parsing: description) else { return nil }
        self = address
    }

    /// Dotted quad for IPv4, RFC 5952 canonical text for IPv6.
    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }

    /// The address family.
    public var family: IPFamily {
        switch self {
        case .v4: .v4
        case .v6: .v6
        }
    }

    /// Appends the text form to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        switch self {
        case .v4(let address): address.appendText(to: &buffer)
        case .v6(let address): address.appendText(to: &buffer)
        }
    }

    /// Parses `bytes[start..<end]` as either family, choosing IPv6 when there is a ':' in it.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(ByteParseFailure) -> IPAddress {
        if isIPv6Text(bytes, start, end) {
            return .v6(IPv6Address(bits: try IPv6Address.parseBits(bytes, start, end)))
        }
        if start < end, bytes[start] == UInt8(ascii: "[") {
            throw ByteParseFailure(byteOffset: start, message: "brackets are not part of an address")
        }
        return .v4(IPv4Address(try IPv4Address.parseValue(bytes, start, end)))
    }

    /// Whether `bytes[start..<end]` should be read as IPv6: it has a ':' in it.
    @inline(__always)
    static func isIPv6Text(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            if bytes[index] == UInt8(ascii: ":") { return true }
            index += 1
        }
        return false
    }
}
