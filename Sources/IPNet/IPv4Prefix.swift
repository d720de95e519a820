/// An IPv4 CIDR prefix: a network address with no host bits set, and a length from 0 to 32.
public struct IPv4Prefix: Hashable, Comparable, Sendable {
    /// The network address (the first address of the prefix).
    public let address: IPv4Address
    private let storedLength: UInt8

    /// The number of leading bits that are fixed, 0 through 32.
    public var length: Int { Int(storedLength) }

    /// Builds the prefix of `length` bits that contains `address`; host bits are cleared.
    public init(containing address: IPv4Address, length: Int) {
        precondition((0...32).contains(length), "an IPv4 prefix length is 0 through 32")
        self.address = IPv4Address(address.value & Self.mask(length))
        self.storedLength = UInt8(length)
    }

    /// Builds a prefix from a network address, or nil when `address` has host bits set or `length` is not 0–32.
    public init?(address: IPv4Address, length: Int) {
        guard (0...32).contains(length), address.value & ~Self.mask(length) == 0 else { return nil }
        self.address = address
        self.storedLength = UInt8(length)
    }

    /// The netmask for `length` bits as an integer (`/8` → `0xff000000`).
    @inline(__always)
    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - length) }

    /// The first address, the network address itself.
    public var first: IPv4Address { address }

    /// The last address (the broadcast address for a subnet).
    public var last: IPv4Address { IPv4Address(address.value | ~Self.mask(length)) }

    /// The number of addresses in the prefix: 2^(32 - length).
    public var count: UInt64 { 1 << UInt64(32 - length) }

    /// The netmask as an address (`/8` → `255.0.0.0`).
    public var netmask: IPv4Address { IPv4Address(Self.mask(length)) }

    /// Whether `address` lies inside the prefix.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(length) == self.address.value
    }

    /// Whether every address of `other` lies inside this prefix.
    public func contains(_ other: IPv4Prefix) -> Bool { other.length >= length && contains(other.address) }

    /// Orders by network address, then the shorter (larger) prefix first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.address.value, lhs.storedLength) < (rhs.address.value, rhs.storedLength)
    }
}

extension IPv4Prefix: CustomStringConvertible, LosslessStringConvertible {
    /// Parses `a.b.c.d/n` strictly (a bare address is not a prefix here); host bits set is an error.
    public init(parsing text: String) throws(IPParseError) {
        self = try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            let prefix = try IPPrefix.parse(bytes, 0, bytes.count, requireLength: true)
            guard case .v4(let v4) = prefix else {
                throw ByteParseFailure(byteOffset: 0, message: "an IPv6 prefix where an IPv4 prefix is expected")
            }
            return v4
        }
    }

    /// Parses `a.b.c.d/n`, or returns nil when it is not a strict IPv4 prefix.
    public init?(_ description: String) {
        guard let prefix = try? IPv4Prefix(parsing: description) else { return nil }
        self = prefix
    }

    /// `a.b.c.d/n`, the length always written.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(18)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `a.b.c.d/n` to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        address.appendText(to: &buffer)
        buffer.append(UInt8(ascii: "/"))
        appendDecimal(UInt32(storedLength), to: &buffer)
    }
}
