@testable import DNS

/// Builds DNS replies byte by byte for parser tests, the way a server (or a hostile one) would.
struct ReplyBuilder {
    var bytes: [UInt8] = []
    private var counts = (questions: 0, answers: 0, authorities: 0)
    private var rcode: UInt8

    init(rcode: UInt8 = 0, question: String, type: UInt16) {
        self.rcode = rcode
        bytes = [0x12, 0x34, 0x81, 0x80 | rcode, 0, 1, 0, 0, 0, 0, 0, 0]
        bytes += Self.name(question)
        bytes += [UInt8(type >> 8), UInt8(type & 0xff), 0, 1]
    }

    static func name(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in text.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        return out + [0]
    }

    mutating func record(_ owner: [UInt8], type: UInt16, ttl: UInt32, data: [UInt8], section: Int = 1) {
        bytes += owner
        bytes += [UInt8(type >> 8), UInt8(type & 0xff), 0, 1]
        bytes += [UInt8(ttl >> 24), UInt8(ttl >> 16 & 0xff), UInt8(ttl >> 8 & 0xff), UInt8(ttl & 0xff)]
        bytes += [UInt8(data.count >> 8), UInt8(data.count & 0xff)]
        bytes += data
        let index = section == 1 ? 6 : 8
        let count = (UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])) + 1
        bytes[index] = UInt8(count >> 8)
        bytes[index + 1] = UInt8(count & 0xff)
    }

    mutating func a(_ owner: String, _ address: [UInt8], ttl: UInt32 = 300) {
        record(Self.name(owner), type: 1, ttl: ttl, data: address)
    }

    mutating func aaaa(_ owner: String, _ address: [UInt8], ttl: UInt32 = 300) {
        record(Self.name(owner), type: 28, ttl: ttl, data: address)
    }

    mutating func cname(_ owner: String, _ target: String, ttl: UInt32 = 300) {
        record(Self.name(owner), type: 5, ttl: ttl, data: Self.name(target))
    }

    mutating func soa(_ zone: String, ttl: UInt32 = 3600, minimum: UInt32) {
        var data = Self.name("ns1." + zone) + Self.name("hostmaster." + zone)
        for value in [1, 3600, 600, 86400, minimum] as [UInt32] {
            data += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        }
        record(Self.name(zone), type: 6, ttl: ttl, data: data, section: 2)
    }
}
