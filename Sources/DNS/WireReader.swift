/// Why a reply could not be read; each case is a way a hostile or broken server can malform bytes.
enum WireError: Error, Equatable, CustomStringConvertible {
    case truncated(at: Int)
    case pointerForward(at: Int)
    case labelTooLong(at: Int)
    case nameTooLong(at: Int)
    case reservedLabelType(at: Int)
    case recordPastEnd(at: Int)
    case badRecordLength(type: UInt16, length: Int)

    var description: String {
        switch self {
        case .truncated(let at): "reply ends early at byte \(at)"
        case .pointerForward(let at): "compression pointer at byte \(at) does not point backwards (a loop or past the end)"
        case .labelTooLong(let at): "label over 63 bytes at byte \(at)"
        case .nameTooLong(let at): "name over 255 bytes at byte \(at)"
        case .reservedLabelType(let at): "reserved label type at byte \(at)"
        case .recordPastEnd(let at): "record data runs past the end of the reply at byte \(at)"
        case .badRecordLength(let type, let length): "record of type \(type) has \(length) bytes of data"
        }
    }
}

/// A bounds-checked cursor over a DNS message: every read checks the remaining length first.
struct WireReader {
    let bytes: [UInt8]
    var offset: Int = 0
    /// Names read so far, by the offset they start at: most names in a reply are a pointer to one read
    /// before (the question's, or a CNAME target's), and those are returned without being read again.
    /// The question's is kept apart: most replies read no other, and then no list is made.
    private var questionRead: (offset: Int, text: String)? = nil
    private var namesRead: [(offset: Int, text: String)] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func u8() throws(WireError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(WireError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(at: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() throws(WireError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(at: offset) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    mutating func u64() throws(WireError) -> UInt64 {
        UInt64(try u32()) << 32 | UInt64(try u32())
    }

    mutating func skip(_ count: Int) throws(WireError) {
        guard count >= 0, remaining >= count else { throw .recordPastEnd(at: offset) }
        offset += count
    }

    /// Reads a possibly compressed name at the cursor and returns it in presentation form (see `CNAMELink`).
    ///
    /// A compression pointer must point strictly before the label that holds it, so a pointer loop or a
    /// pointer past the end cannot occur; the name's wire length is capped at 255 bytes.
    mutating func name() throws(WireError) -> String {
        if offset + 1 < bytes.count, bytes[offset] & 0xC0 == 0xC0 {
            let target = Int(bytes[offset] & 0x3F) << 8 | Int(bytes[offset + 1])
            if target < offset, let known = target == questionRead?.offset
                ? questionRead?.text : namesRead.first(where: { $0.offset == target })?.text
            {
                offset += 2
                return known
            }
        }
        let start = offset
        let text = try readName(keeping: true)!
        if namesRead.count < 8 { namesRead.append((start, text)) }
        return text
    }

    /// Moves past a name that is not needed (an SOA's, an authority record's owner), checking it as
    /// `name()` does, without making its text.
    mutating func skipName() throws(WireError) {
        _ = try readName(keeping: false)
    }

    /// Reads the question's name, which c-ares has matched against the name asked (ignoring case): when
    /// it is `asked` label for label, `asked` itself is returned (and remembered) instead of a new string.
    mutating func questionName(asked: String) throws(WireError) -> String {
        let offset = self.offset
        let end = bytes.withUnsafeBufferPointer { bytes in
            asked.utf8.withContiguousStorageIfAvailable { Self.endOfName(in: bytes, at: offset, matching: $0) } ?? nil
        }
        guard let end, end - offset + 1 <= 255 else { return try name() }
        questionRead = (offset, asked)
        self.offset = end + 1
        return asked
    }

    /// Where the name at `offset` in `bytes` ends (the offset of its zero byte) when, label for label, it is
    /// `asked` (presentation form, lower case) with letters in any case and no byte that presentation
    /// would escape; nil when it is not, or has a pointer.
    private static func endOfName(
        in bytes: UnsafeBufferPointer<UInt8>, at offset: Int, matching asked: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        var position = offset
        var next = 0  // in `asked`
        while position < bytes.count {
            let length = Int(bytes[position])
            if length == 0 { return next == asked.count ? position : nil }
            guard length < 0x40, position + length < bytes.count else { return nil }
            if position != offset {
                guard next < asked.count, asked[next] == UInt8(ascii: ".") else { return nil }
                next += 1
            }
            guard asked.count - next >= length else { return nil }
            for index in (position + 1)...(position + length) {
                let byte = bytes[index]
                let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                guard presentsAsItself(byte), asked[next] == lowered else { return nil }
                next += 1
            }
            position += length + 1
        }
        return nil
    }

    /// Whether a byte of a label reads the same in presentation form (lower-cased letters aside).
    private static func presentsAsItself(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "*"):
            true
        default: false
        }
    }

    /// Reads the name at the cursor, checking every label and pointer; its presentation form when
    /// `keeping`, nil otherwise.
    private mutating func readName(keeping: Bool) throws(WireError) -> String? {
        var text: [UInt8] = []
        if keeping { text.reserveCapacity(64) }
        var wireLength = 1
        var position = offset
        var resumeAt: Int? = nil
        var lowestAllowed = offset  // pointers must land before this
        while true {
            guard position < bytes.count else { throw .truncated(at: position) }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(at: position) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < lowestAllowed else { throw .pointerForward(at: position) }
                if resumeAt == nil { resumeAt = position + 2 }
                lowestAllowed = target
                position = target
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return keeping ? String(decoding: text, as: UTF8.self) : nil
                }
                let count = Int(length)
                guard position + 1 + count <= bytes.count else { throw .truncated(at: position) }
                wireLength += count + 1
                guard wireLength <= 255 else { throw .nameTooLong(at: position) }
                if keeping {
                    if !text.isEmpty { text.append(UInt8(ascii: ".")) }
                    Self.appendPresentation(bytes[(position + 1)...(position + count)], to: &text)
                }
                position += count + 1
            default:
                throw length & 0xC0 == 0x40 ? .labelTooLong(at: position) : .reservedLabelType(at: position)
            }
        }
    }

    /// One label in presentation form, lower case; bytes that are not `[a-z0-9-_*]` escaped.
    static func presentation(_ label: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        appendPresentation(label, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `presentation(label)` as UTF-8 to `text`: bytes, not `String`s, because names are read for
    /// every reply.
    static func appendPresentation(_ label: ArraySlice<UInt8>, to text: inout [UInt8]) {
        for byte in label {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                text.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                text.append(byte)
            case UInt8(ascii: "."):
                text.append(UInt8(ascii: "\\"))
                text.append(UInt8(ascii: "."))
            default:
                text.append(UInt8(ascii: "\\"))
                text.append(UInt8(ascii: "0") + byte / 100)
                text.append(UInt8(ascii: "0") + byte / 10 % 10)
                text.append(UInt8(ascii: "0") + byte % 10)
            }
        }
    }
}
