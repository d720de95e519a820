/// A set of IPv4 and IPv6 addresses, held as sorted, disjoint, non-adjacent integer ranges per family.
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) stay IPv6: they never merge with IPv4 entries.
/// Storage is 8 bytes per IPv4 range and 32 per IPv6 range, so a million prefixes take tens of megabytes.
public struct IPAddressSet: Hashable, Sendable {
    var v4: [Span<UInt32>]
    var v6: [Span<UInt128>]

    /// The empty set.
    public init() {
        v4 = []
        v6 = []
    }

    init(v4: [Span<UInt32>], v6: [Span<UInt128>]) {
        self.v4 = v4
        self.v6 = v6
    }

    /// The set of every address in `ranges`; sorts once, so this is the fast way to build a large set.
    public init(_ ranges: some Sequence<IPRange>) {
        self.init()
        for range in ranges { range.appendSpan(v4: &v4, v6: &v6) }
        v4.normalizeSpans()
        v6.normalizeSpans()
    }

    /// The set of every address in `prefixes`.
    public init(_ prefixes: some Sequence<IPPrefix>) {
        self.init(prefixes.lazy.map(IPRange.init))
    }

    /// The set of every address in the list `prefixes`, read without a generic step per prefix: called from
    /// another module, the generic form's iterator is not specialised, and it cost a fifth of building a
    /// 23,000-prefix allowlist.
    public init(_ prefixes: [IPPrefix]) {
        self.init()
        for prefix in prefixes { IPRange(prefix).appendSpan(v4: &v4, v6: &v6) }
        v4.normalizeSpans()
        v6.normalizeSpans()
    }

    /// The set of `addresses`.
    public init(_ addresses: some Sequence<IPAddress>) {
        self.init(addresses.lazy.map { IPRange(IPPrefix(host: $0)) })
    }

    /// Whether the set holds no address.
    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

    /// Adds one address.
    public mutating func insert(_ address: IPAddress) { insert(IPRange(IPPrefix(host: address))) }

    /// Adds every address of `prefix`.
    public mutating func insert(_ prefix: IPPrefix) { insert(IPRange(prefix)) }

    /// Adds every address of `range`, merging it with the ranges it touches.
    public mutating func insert(_ range: IPRange) {
        switch (range.first, range.last) {
        case (.v4(let first), .v4(let last)): v4.insertSpan(Span(first: first.value, last: last.value))
        case (.v6(let first), .v6(let last)): v6.insertSpan(Span(first: first.bits, last: last.bits))
        default: preconditionFailure("an IPRange never mixes families")
        }
    }

    /// Removes every address of `prefix`.
    public mutating func remove(_ prefix: IPPrefix) { self = subtracting(IPAddressSet([prefix])) }

    /// Whether `address` is in the set.
    public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let address): v4.spanIndex(containing: address.value) != nil
        case .v6(let address): v6.spanIndex(containing: address.bits) != nil
        }
    }

    /// Whether every address of `prefix` is in the set.
    public func contains(_ prefix: IPPrefix) -> Bool {
        switch prefix {
        case .v4(let prefix): v4.containsSpan(Span(first: prefix.first.value, last: prefix.last.value))
        case .v6(let prefix): v6.containsSpan(Span(first: prefix.first.bits, last: prefix.last.bits))
        }
    }

    /// Whether every address of `other` is in this set.
    public func isSuperset(of other: IPAddressSet) -> Bool { other.subtracting(self).isEmpty }

    /// The addresses in either set.
    public func union(_ other: IPAddressSet) -> IPAddressSet {
        IPAddressSet(v4: v4.unionSpans(other.v4), v6: v6.unionSpans(other.v6))
    }

    /// Adds every address of `other`.
    public mutating func formUnion(_ other: IPAddressSet) { self = union(other) }

    /// The addresses in both sets.
    public func intersection(_ other: IPAddressSet) -> IPAddressSet {
        IPAddressSet(v4: v4.intersectSpans(other.v4), v6: v6.intersectSpans(other.v6))
    }

    /// The addresses in this set and not in `other`.
    public func subtracting(_ other: IPAddressSet) -> IPAddressSet {
        IPAddressSet(v4: v4.subtractSpans(other.v4), v6: v6.subtractSpans(other.v6))
    }

    /// Removes every address of `other`.
    public mutating func subtract(_ other: IPAddressSet) { self = subtracting(other) }

    /// The IPv4 addresses only.
    public var ipv4Only: IPAddressSet { IPAddressSet(v4: v4, v6: []) }

    /// The IPv6 addresses only (IPv4-mapped addresses included).
    public var ipv6Only: IPAddressSet { IPAddressSet(v4: [], v6: v6) }

    /// The number of IPv4 addresses in the set.
    public var ipv4Count: UInt64 { v4.reduce(0) { $0 + UInt64($1.last - $1.first) + 1 } }

    /// The number of IPv6 addresses in the set, exact up to the whole space.
    public var ipv6Count: AddressCount {
        v6.reduce(AddressCount.zero) { total, span in
            let beyondFirst = span.last - span.first
            return total + (beyondFirst == .max ? AddressCount(powerOfTwo: 128) : AddressCount(beyondFirst + 1))
        }
    }

    /// The number of addresses of both families.
    public var count: AddressCount { AddressCount(UInt128(ipv4Count)) + ipv6Count }

    /// The maximal ranges of the set, IPv4 first, each in address order.
    public var ranges: [IPRange] {
        v4.map { IPRange(.v4(first: $0.first, last: $0.last)) }
            + v6.map { IPRange(.v6(first: $0.first, last: $0.last)) }
    }

    /// The minimal CIDR cover: the fewest prefixes that hold exactly these addresses, IPv4 first, sorted.
    public var prefixes: [IPPrefix] {
        var result = [IPPrefix]()
        for span in v4 {
            forEachCIDR(from: span.first, through: span.last) { start, length in
                result.append(.v4(IPv4Prefix(containing: IPv4Address(start), length: length)))
            }
        }
        for span in v6 {
            forEachCIDR(from: span.first, through: span.last) { start, length in
                result.append(.v6(IPv6Prefix(containing: IPv6Address(bits: start), length: length)))
            }
        }
        return result
    }

    /// Appends the minimal CIDR cover to `buffer` as UTF-8 text, one prefix with its length a line.
    public func appendPrefixLines(to buffer: inout [UInt8]) {
        for span in v4 {
            forEachCIDR(from: span.first, through: span.last) { start, length in
                IPv4Address(start).appendText(to: &buffer)
                buffer.append(UInt8(ascii: "/"))
                appendDecimal(UInt32(length), to: &buffer)
                buffer.append(UInt8(ascii: "\n"))
            }
        }
        for span in v6 {
            forEachCIDR(from: span.first, through: span.last) { start, length in
                IPv6Address(bits: start).appendText(to: &buffer)
                buffer.append(UInt8(ascii: "/"))
                appendDecimal(UInt32(length), to: &buffer)
                buffer.append(UInt8(ascii: "\n"))
            }
        }
    }
}

extension IPPrefix {
    /// The fewest prefixes that cover this prefix without `hole`: a /8 less a /32 gives 24 prefixes.
    public func removing(_ hole: IPPrefix) -> [IPPrefix] {
        IPAddressSet([self]).subtracting(IPAddressSet([hole])).prefixes
    }
}

extension IPAddressSet: CustomStringConvertible {
    /// The minimal CIDR cover, comma separated, in braces.
    public var description: String { "{" + prefixes.map(\.description).joined(separator: ", ") + "}" }
}

extension IPRange {
    /// Appends this range as a span to the list of its family.
    func appendSpan(v4: inout [Span<UInt32>], v6: inout [Span<UInt128>]) {
        switch (first, last) {
        case (.v4(let first), .v4(let last)): v4.append(Span(first: first.value, last: last.value))
        case (.v6(let first), .v6(let last)): v6.append(Span(first: first.bits, last: last.bits))
        default: preconditionFailure("an IPRange never mixes families")
        }
    }
}
