/// An IPv6 CIDR prefix: a network address with no host bits set, and a length from 0 to 128.
public struct IPv6Prefix: Hashable, Comparable, Sendable {
    /// The network address (the first address of the prefix).
    public let address: IPv6Address
    private let storedLength: UInt8

    /// The number of leading bits that are fixed, 0 through 128.
    public var length: Int { Int(storedLength) }

    /// Builds the prefix of `length` bits that contains `address`; host bits are cleared.
    public init(containing address: IPv6Address, length: Int) {
        precondition((0...128).contains(length), "an IPv6 prefix length is 0 through 128")
        self.address = IPv6Address(bits: address.bits & Self.mask(length))
        self.storedLength = UInt8(length)
    }

    /// Builds a prefix from a network address, or nil when `address` has host bits set or `length` is not 0–128.
    public init?(address: IPv6Address, length: Int) {
        guard (0...128).contains(length), address.bits & ~Self.mask(length) == 0 else { return nil }
        self.address = address
        self.storedLength = UInt8(length)
    }

    /// The netmask for `length` bits as an integer.
    @inline(__always)
    static func mask(_ length: Int) -> UInt128 { length == 0 ? 0 : UInt128.max << (128 - length) }

    /// The first address, the network address itself.
    public var first: IPv6Address { address }

    /// The last address of the prefix.
    public var last: IPv6Address { IPv6Address(bits: address.bits | ~Self.mask(length)) }

    /// The number of addresses in the prefix: 2^(128 - length), exact even for `::/0`.
    public var count: AddressCount { AddressCount(powerOfTwo: 128 - length) }

    /// Whether `address` lies inside the prefix.
    public func contains(_ address: IPv6Address) -> Bool {
        address.bits & Self.mask(length) == self.address.bits
    }

    /// Whether every address of `other` lies inside this prefix.
    public func contains(_ other: IPv6Prefix) -> Bool { other.length >= length && contains(other.address) }

    /// Orders by network address, then the shorter (larger) prefix first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.address, lhs.storedLength) < (rhs.address, rhs.storedLength)
    }
}

extension IPv6Prefix: CustomStringConvertible, LosslessStringConvertible {
    /// Parses `x:y::/n` strictly (a bare address is not a prefix here); host bits set is an error.
    public init(parsing text: String) throws(IPParseError) {
        self = try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            let prefix = try IPPrefix.parse(bytes, 0, bytes.count, requireLength: true)
            guard case .v6(let v6) = prefix else {
                throw ByteParseFailure(byteOffset: 0, message: "an IPv4 prefix where an IPv6 prefix is expected")
            }
            return v6
        }
    }

    /// Parses `x:y::/n`, or returns nil when it is not a strict IPv6 prefix.
    public init?(_ description: String) {
        guard let prefix = try? IPv6Prefix(parsing: description) else { return nil }
        self = prefix
    }

    /// RFC 5952 text of the network address, then `/n`.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(43)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the address text and `/n` to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        address.appendText(to: &buffer)
        buffer.append(UInt8(ascii: "/"))
        appendDecimal(UInt32(storedLength), to: &buffer)
    }
}
