import Hostnames

/// Builds the bytes of a standard recursive query for one name and type.
///
/// The name is always sent absolute, so no search domain (from `/etc/resolv.conf`, `LOCALDOMAIN` or
/// `RES_OPTIONS`) can ever be appended to it. c-ares replaces the ID with its own when it sends.
enum QueryMessage {
    /// The query's bytes.
    static func bytes(for name: DomainName, type: RecordType) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maxLength) { buffer, count in
            count = write(for: name, type: type, into: buffer)
        }
    }

    /// The longest query: the header, a name of 255 bytes on the wire, type and class.
    static let maxLength = 12 + 255 + 4

    /// Writes the query at the start of `buffer` (at least `maxLength` bytes) and returns its length. A
    /// channel builds each query into one buffer of its own as it sends it, and c-ares copies it.
    static func write(for name: DomainName, type: RecordType, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(buffer.count >= maxLength)
        // The header: ID 0 (c-ares sets it), RD=1, QDCOUNT 1, and no answer, authority or additional records.
        buffer.baseAddress!.initialize(repeating: 0, count: 12)
        buffer[2] = 0x01
        buffer[5] = 0x01
        var at = 12
        // Labels as length-prefixed runs: a placeholder length byte, patched when the label ends. A valid
        // name is at most 253 bytes of text, so it fits (`DomainName` guarantees it).
        var lengthAt = at
        at += 1
        var text = name.text
        text.withUTF8 { utf8 in
            for byte in utf8.prefix(253) {
                if byte == UInt8(ascii: ".") {
                    buffer[lengthAt] = UInt8(truncatingIfNeeded: at - lengthAt - 1)
                    lengthAt = at
                } else {
                    buffer[at] = byte
                }
                at += 1
            }
        }
        buffer[lengthAt] = UInt8(truncatingIfNeeded: at - lengthAt - 1)
        if buffer[lengthAt] != 0 {
            buffer[at] = 0
            at += 1
        }
        buffer[at] = UInt8(type.code >> 8)
        buffer[at + 1] = UInt8(type.code & 0xff)
        buffer[at + 2] = 0x00
        buffer[at + 3] = UInt8(WireType.classIN)
        return at + 4
    }
}
