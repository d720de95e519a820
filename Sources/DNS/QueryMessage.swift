import Hostnames

/// Builds the bytes of a standard recursive query for one name and type.
///
/// The name is always sent absolute, so no search domain (from `/etc/resolv.conf`, `LOCALDOMAIN` or
/// `RES_OPTIONS`) can ever be appended to it. c-ares replaces the ID with its own when it sends.
enum QueryMessage {
    static func bytes(for name: DomainName, type: RecordType) -> [UInt8] {
        var message: [UInt8] = []
        write(for: name, type: type, into: &message)
        return message
    }

    /// Replaces `message`'s contents with the query, reusing its storage (a channel builds each query
    /// into one buffer as it sends it, instead of keeping a message per query waiting).
    static func write(for name: DomainName, type: RecordType, into message: inout [UInt8]) {
        message.removeAll(keepingCapacity: true)
        message.reserveCapacity(12 + name.text.utf8.count + 6)
        message.append(contentsOf: [
            0x00, 0x00,  // ID: set by c-ares
            0x01, 0x00,  // RD=1
            0x00, 0x01,  // QDCOUNT
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ANCOUNT, NSCOUNT, ARCOUNT
        ] as [UInt8])
        // Labels as length-prefixed runs: a placeholder length byte, patched when the label ends.
        var lengthAt = message.count
        message.append(0)
        for byte in name.text.utf8 {
            if byte == UInt8(ascii: ".") {
                message[lengthAt] = UInt8(truncatingIfNeeded: message.count - lengthAt - 1)
                lengthAt = message.count
                message.append(0)
            } else {
                message.append(byte)
            }
        }
        message[lengthAt] = UInt8(truncatingIfNeeded: message.count - lengthAt - 1)
        if message[lengthAt] != 0 { message.append(0) }
        message.append(UInt8(type.code >> 8))
        message.append(UInt8(type.code & 0xff))
        message.append(0x00)
        message.append(UInt8(WireType.classIN))
    }
}
