extension IPv6Address: CustomStringConvertible, LosslessStringConvertible {
    /// Parses RFC 4291 text strictly: hex groups, one `::`, an optional dotted-quad tail; no zone, no brackets.
    public init(parsing text: String) throws(IPParseError) {
        self.init(bits: try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            try IPv6Address.parseBits(bytes, 0, bytes.count)
        })
    }

    /// Parses IPv6 text, or returns nil when it is not a strict IPv6 address.
    public init?(_ description: String) {
        guard let address = try? IPv6Address(parsing: description) else { return nil }
        self = address
    }

    /// The RFC 5952 canonical text, e.g. `2001:db8::1`; IPv4-mapped addresses as `::ffff:a.b.c.d`.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(39)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the RFC 5952 canonical text to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        if high == 0, low >> 32 == 0xffff {
            buffer.append(contentsOf: "::ffff:".utf8)
            IPv4Address(UInt32(truncatingIfNeeded: low)).appendText(to: &buffer)
            return
        }
        let words = bits
        @inline(__always) func group(_ index: Int) -> UInt16 {
            UInt16(truncatingIfNeeded: words >> (112 - 16 * index))
        }
        // The longest run of two or more zero groups, the first one on a tie (RFC 5952 section 4.2).
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for index in 0..<8 {
            if group(index) == 0 {
                if runStart < 0 { runStart = index }
                if index - runStart + 1 > bestLength {
                    bestStart = runStart
                    bestLength = index - runStart + 1
                }
            } else {
                runStart = -1
            }
        }
        var index = 0
        while index < 8 {
            if index == bestStart {
                buffer.append(UInt8(ascii: ":"))
                if index == 0 { buffer.append(UInt8(ascii: ":")) }
                index += bestLength
                continue
            }
            appendHex(group(index), to: &buffer)
            if index < 7 { buffer.append(UInt8(ascii: ":")) }
            index += 1
        }
    }

    /// Parses `bytes[start..<end]` as strict IPv6 text; failures carry the byte offset of the culprit.
    static func parseBits(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(ByteParseFailure) -> UInt128 {
        guard start < end else { throw ByteParseFailure(byteOffset: start, message: "empty address") }
        try rejectDecorations(bytes, start, end)
        var head: UInt128 = 0
        var headCount = 0
        var tail: UInt128 = 0
        var tailCount = 0
        var compressed = false
        var index = start
        if bytes[index] == UInt8(ascii: ":") {
            guard index + 1 < end, bytes[index + 1] == UInt8(ascii: ":") else {
                throw ByteParseFailure(byteOffset: index, message: "a single ':' cannot start an address")
            }
            compressed = true
            index += 2
        }
        while index < end {
            let groupStart = index
            var group: UInt32 = 0
            while index < end, let digit = hexDigitValue(bytes[index]) {
                group = group << 4 | UInt32(digit)
                index += 1
                if index - groupStart > 4 {
                    while index < end, hexDigitValue(bytes[index]) != nil { index += 1 }
                    throw ByteParseFailure(
                        byteOffset: groupStart,
                        message: "group \(quoted(bytes, groupStart, index)) has more than 4 hex digits"
                    )
                }
            }
            var width = 1
            if index < end, bytes[index] == UInt8(ascii: "."), index > groupStart {
                group = 0
                width = 2
            } else if index == groupStart {
                throw unexpected(bytes, index, inAddress: "an IPv6 address")
            }
            guard headCount + tailCount + width <= (compressed ? 7 : 8) else {
                throw ByteParseFailure(byteOffset: groupStart, message: "more than 8 groups")
            }
            let value: UInt128
            if width == 2 {
                value = UInt128(try IPv4Address.parseValue(bytes, groupStart, end))
                index = end
            } else {
                value = UInt128(group)
            }
            if compressed {
                tail = tail << (16 * width) | value
                tailCount += width
            } else {
                head = head << (16 * width) | value
                headCount += width
            }
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw unexpected(bytes, index, inAddress: "an IPv6 address")
            }
            index += 1
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard !compressed else {
                    throw ByteParseFailure(byteOffset: index - 1, message: "'::' may appear only once")
                }
                compressed = true
                index += 1
            } else if index == end {
                throw ByteParseFailure(byteOffset: index - 1, message: "a single ':' cannot end an address")
            }
        }
        if compressed {
            guard headCount + tailCount <= 7 else {
                throw ByteParseFailure(byteOffset: start, message: "'::' stands for no group: there are 8 already")
            }
            return headCount == 0 ? tail : head << (16 * (8 - headCount)) | tail
        }
        guard headCount == 8 else {
            throw ByteParseFailure(
                byteOffset: start,
                message: "only \(headCount) of 8 groups and no '::' to stand for the rest"
            )
        }
        return head
    }

    /// Rejects zone IDs, brackets and prefix lengths with a message that names them.
    private static func rejectDecorations(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(ByteParseFailure) {
        for index in start..<end {
            switch bytes[index] {
            case UInt8(ascii: "%"):
                throw ByteParseFailure(
                    byteOffset: index,
                    message: "zone ID \(quoted(bytes, index, end)) is not accepted: a scoped address "
                        + "means nothing to a firewall elsewhere"
                )
            case UInt8(ascii: "["), UInt8(ascii: "]"):
                throw ByteParseFailure(byteOffset: index, message: "brackets are not part of an address")
            case UInt8(ascii: "/"):
                throw ByteParseFailure(byteOffset: index, message: "a prefix length is not allowed here")
            default:
                continue
            }
        }
    }

    private static func unexpected(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, inAddress kind: String
    ) -> ByteParseFailure {
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            return ByteParseFailure(byteOffset: index, message: "empty group (':::' or misplaced ':')")
        }
        return ByteParseFailure(
            byteOffset: index,
            message: "unexpected \(describeCharacter(in: bytes, at: index)) in \(kind)"
        )
    }
}

/// The value of an ASCII hex digit, either case.
@inline(__always)
func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
    default: nil
    }
}

/// Appends `group` in lower-case hex without leading zeros.
@inline(__always)
func appendHex(_ group: UInt16, to buffer: inout [UInt8]) {
    let digits: StaticString = "0123456789abcdef"
    var shift = 12
    while shift > 0, group >> UInt16(shift) == 0 { shift -= 4 }
    while shift >= 0 {
        buffer.append(digits.utf8Start[Int(group >> UInt16(shift) & 0xf)])
        shift -= 4
    }
}
