import Hostnames

/// Builds the bytes of a standard recursive query for one name and type.
///
/// The name is always sent absolute, so no search domain (from `/etc/resolv.conf`, `LOCALDOMAIN` or
/// `RES_OPTIONS`) can ever be appended to it. c-ares replaces the ID with its own when it sends.
enum QueryMessage {
    static func bytes(for name: DomainName, type: RecordType) -> [UInt8] {
        var message: [UInt8] = [
            0x00, 0x00,  // ID: set by c-ares
            0x01, 0x00,  // RD=1
            0x00, 0x01,  // QDCOUNT
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ANCOUNT, NSCOUNT, ARCOUNT
        ]
        message.reserveCapacity(message.count + name.text.utf8.count + 6)
        for label in name.text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: true) {
            message.append(UInt8(label.count))
            message.append(contentsOf: label)
        }
        message.append(0)
        message.append(UInt8(type.code >> 8))
        message.append(UInt8(type.code & 0xff))
        message.append(0x00)
        message.append(UInt8(WireType.classIN))
        return message
    }
}
