/// An address range read from text, as integers: what every list entry (address, prefix, range) comes down to.
enum ParsedRange {
    case v4(first: UInt32, last: UInt32)
    case v6(first: UInt128, last: UInt128)
}

extension IPPrefix {
    /// Parses `bytes[start..<end]` as `address/length`, or a bare address when `requireLength` is false.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, requireLength: Bool
    ) throws(ByteParseFailure) -> IPPrefix {
        var slash = start
        while slash < end, bytes[slash] != UInt8(ascii: "/") { slash += 1 }
        if slash == end {
            let address = try IPAddress.parse(bytes, start, end)
            guard !requireLength else {
                throw ByteParseFailure(
                    byteOffset: end,
                    message: "missing prefix length; write \(address)/\(address.family.bitWidth) for one address"
                )
            }
            return IPPrefix(host: address)
        }
        let address = try IPAddress.parse(bytes, start, slash)
        let length = try parseLength(bytes, slash + 1, end, family: address.family)
        let prefix = IPPrefix(containing: address, length: length)
        guard prefix.address == address else {
            throw ByteParseFailure(byteOffset: start, message: "host bits set; did you mean \(prefix)?")
        }
        return prefix
    }

    /// Parses the decimal prefix length in `bytes[start..<end]` for an address of `family`.
    static func parseLength(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, family: IPFamily
    ) throws(ByteParseFailure) -> Int {
        guard start < end else {
            throw ByteParseFailure(byteOffset: start, message: "missing prefix length after '/'")
        }
        var length = 0
        var index = start
        while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
            length = min(length * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1000)
            index += 1
        }
        if index < end {
            if family == .v4, let mask = try? IPv4Address.parseValue(bytes, start, end) {
                let bits = (~mask).leadingZeroBitCount
                let hint = mask == IPv4Prefix.mask(bits) ? "; write /\(bits)" : ""
                throw ByteParseFailure(byteOffset: start, message: "netmask notation is not accepted\(hint)")
            }
            throw ByteParseFailure(
                byteOffset: index,
                message: "unexpected \(describeCharacter(in: bytes, at: index)) in a prefix length"
            )
        }
        if bytes[start] == UInt8(ascii: "0"), end - start > 1 {
            throw ByteParseFailure(
                byteOffset: start,
                message: "prefix length \(quoted(bytes, start, end)) has a leading zero"
            )
        }
        guard length <= family.bitWidth else {
            throw ByteParseFailure(
                byteOffset: start - 1,
                message: "/\(length) is longer than the \(family.bitWidth) bits of an \(family) address"
            )
        }
        return length
    }
}

extension IPRange {
    /// Parses one list entry in `bytes[start..<end]`: an address, `address/length`, or `first-last`.
    static func parseEntry(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(ByteParseFailure) -> ParsedRange {
        var index = start
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "/"):
                switch try IPPrefix.parse(bytes, start, end, requireLength: true) {
                case .v4(let prefix): return .v4(first: prefix.first.value, last: prefix.last.value)
                case .v6(let prefix): return .v6(first: prefix.first.bits, last: prefix.last.bits)
                }
            case UInt8(ascii: "-"):
                return try parseDashRange(bytes, start, index, end)
            default:
                index += 1
            }
        }
        switch try IPAddress.parse(bytes, start, end) {
        case .v4(let address): return .v4(first: address.value, last: address.value)
        case .v6(let address): return .v6(first: address.bits, last: address.bits)
        }
    }

    /// Parses `first-last` with the dash at `dash`; blanks around the dash are allowed.
    static func parseDashRange(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ dash: Int, _ end: Int
    ) throws(ByteParseFailure) -> ParsedRange {
        var firstEnd = dash
        while firstEnd > start, isBlank(bytes[firstEnd - 1]) { firstEnd -= 1 }
        var lastStart = dash + 1
        while lastStart < end, isBlank(bytes[lastStart]) { lastStart += 1 }
        let first = try IPAddress.parse(bytes, start, firstEnd)
        let last = try IPAddress.parse(bytes, lastStart, end)
        switch (first, last) {
        case (.v4(let a), .v4(let b)) where a <= b:
            return .v4(first: a.value, last: b.value)
        case (.v6(let a), .v6(let b)) where a <= b:
            return .v6(first: a.bits, last: b.bits)
        case (.v4, .v4), (.v6, .v6):
            throw ByteParseFailure(byteOffset: lastStart, message: "the range ends before it starts")
        default:
            throw ByteParseFailure(byteOffset: lastStart, message: "the range mixes IPv4 and IPv6")
        }
    }
}

/// Whether `byte` is a space or a tab.
@inline(__always)
func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
