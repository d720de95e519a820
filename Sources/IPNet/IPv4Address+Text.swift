extension IPv4Address: CustomStringConvertible, LosslessStringConvertible {
    /// Parses dotted-quad text strictly: four decimal octets, no leading zeros, no shorthand, no hex.
    public init(parsing text: String) throws(IPParseError) {
        self.init(try parsingUTF8(text) { bytes throws(ByteParseFailure) in
            try IPv4Address.parseValue(bytes, 0, bytes.count)
        })
    }

    /// Parses dotted-quad text, or returns nil when it is not a strict IPv4 address.
    public init?(_ description: String) {
        guard let address = try? IPv4Address(parsing: description) else { return nil }
        self = address
    }

    /// The dotted-quad text, e.g. `192.0.2.1`.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(15)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the dotted-quad text to `buffer` as UTF-8.
    public func appendText(to buffer: inout [UInt8]) {
        appendDecimal(value >> 24, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDecimal(value >> 16 & 0xff, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDecimal(value >> 8 & 0xff, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDecimal(value & 0xff, to: &buffer)
    }

    /// Parses `bytes[start..<end]` as a strict dotted quad; failures carry the byte offset of the culprit.
    static func parseValue(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(ByteParseFailure) -> UInt32 {
        guard start < end else { throw ByteParseFailure(byteOffset: start, message: "empty address") }
        var value: UInt32 = 0
        var octetCount = 0
        var index = start
        while true {
            let octetStart = index
            var octet: UInt32 = 0
            while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
                octet = octet &* 10 &+ UInt32(bytes[index] &- UInt8(ascii: "0"))
                if octet > 0xffff { octet = 0xffff }  // saturate: the message only needs "too large"
                index += 1
            }
            if octetCount == 0, index == end, index > octetStart {
                throw ByteParseFailure(
                    byteOffset: start,
                    message: "a bare integer is not an address; write four dotted octets (a.b.c.d)"
                )
            }
            try checkOctet(bytes, octetStart, index, end, octet: octet)
            octetCount += 1
            value = value << 8 | octet
            if index == end { break }
            guard bytes[index] == UInt8(ascii: "."), octetCount < 4 else {
                throw unexpectedAfterOctet(bytes, start, index, end, octetCount: octetCount)
            }
            index += 1
        }
        guard octetCount == 4 else {
            throw ByteParseFailure(
                byteOffset: start,
                message: "only \(octetCount) of 4 octets: shorthand such as 127.1 is not accepted; write all four"
            )
        }
        return value
    }

    /// Checks one octet's digits `bytes[octetStart..<index]`, whose value is `octet`.
    private static func checkOctet(
        _ bytes: UnsafeBufferPointer<UInt8>, _ octetStart: Int, _ index: Int, _ end: Int, octet: UInt32
    ) throws(ByteParseFailure) {
        if index == octetStart {
            if index < end, bytes[index] != UInt8(ascii: ".") {
                throw ByteParseFailure(
                    byteOffset: index,
                    message: "unexpected \(describeCharacter(in: bytes, at: index)) in an IPv4 address"
                )
            }
            throw ByteParseFailure(byteOffset: index, message: "empty octet")
        }
        if bytes[octetStart] == UInt8(ascii: "0") {
            if index < end, bytes[index] | 0x20 == UInt8(ascii: "x") {
                var hexEnd = index + 1
                while hexEnd < end, bytes[hexEnd] != UInt8(ascii: ".") { hexEnd += 1 }
                throw ByteParseFailure(
                    byteOffset: octetStart,
                    message: "hexadecimal octet \(quoted(bytes, octetStart, hexEnd)) is not accepted; write decimal"
                )
            }
            if index - octetStart > 1 {
                throw ByteParseFailure(
                    byteOffset: octetStart,
                    message: "octet \(quoted(bytes, octetStart, index)) has a leading zero, which other tools "
                        + "read as octal; write it without the zero"
                )
            }
        }
        if octet > 255 {
            throw ByteParseFailure(
                byteOffset: octetStart,
                message: "octet \(quoted(bytes, octetStart, index)) is larger than 255"
            )
        }
    }

    /// The failure for a character after an octet that is neither the end nor a dot between octets.
    private static func unexpectedAfterOctet(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ index: Int, _ end: Int, octetCount: Int
    ) -> ByteParseFailure {
        if bytes[index] == UInt8(ascii: ".") {
            return ByteParseFailure(byteOffset: index, message: "more than 4 octets")
        }
        if bytes[index] == UInt8(ascii: "/") {
            return ByteParseFailure(byteOffset: index, message: "a prefix length is not allowed here")
        }
        return ByteParseFailure(
            byteOffset: index,
            message: "unexpected \(describeCharacter(in: bytes, at: index)) in an IPv4 address"
        )
    }
}

/// Appends `value`, which is below 1000, in decimal to `buffer`.
@inline(__always)
func appendDecimal(_ value: UInt32, to buffer: inout [UInt8]) {
    if value >= 100 {
        buffer.append(UInt8(ascii: "0") &+ UInt8(value / 100))
        buffer.append(UInt8(ascii: "0") &+ UInt8(value / 10 % 10))
    } else if value >= 10 {
        buffer.append(UInt8(ascii: "0") &+ UInt8(value / 10))
    }
    buffer.append(UInt8(ascii: "0") &+ UInt8(value % 10))
}
