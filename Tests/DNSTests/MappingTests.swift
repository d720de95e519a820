import CAres
import Hostnames
import Testing

@testable import DNS

@Suite("Status and address mapping")
struct MappingTests {
    @Test("every c-ares status maps to one outcome", arguments: [
        (ARES_ETIMEOUT, Outcome.timeout), (ARES_ECONNREFUSED, .error), (ARES_EBADRESP, .badresponse),
        (ARES_ESERVFAIL, .servfail), (ARES_EREFUSED, .refused), (ARES_ENOTFOUND, .nxdomain),
        (ARES_ENODATA, .nodata), (ARES_EFORMERR, .error), (ARES_ENOTIMP, .error), (ARES_EDESTRUCTION, .error),
        (ARES_ECANCELLED, .error), (ARES_ENOMEM, .error), (ARES_EBADNAME, .error),
    ])
    func status(status: Int32, outcome: Outcome) {
        let (mapped, detail) = AresStatus.outcome(for: status)
        #expect(mapped == outcome)
        #expect(!detail.isEmpty)
    }

    @Test("server addresses parse with and without ports", arguments: [
        ("1.1.1.1", "1.1.1.1:53"), ("127.0.0.1:5353", "127.0.0.1:5353"), ("::1", "[::1]:53"),
        ("[::1]:5353", "[::1]:5353"), ("[2606:4700:4700::1111]", "[2606:4700:4700::1111]:53"),
    ])
    func servers(text: String, expected: String) throws {
        #expect(try ServerAddress(parsing: text).description == expected)
    }

    @Test("bad server addresses are refused with the reason", arguments: [
        "example.com", "1.1.1.1:0", "1.1.1.1:65536", "[::1", "[::1]x", "1.1.1", "",
    ])
    func badServers(text: String) {
        #expect(throws: ServerAddressError.self) { try ServerAddress(parsing: text) }
    }

    @Test("queries are absolute: the name's labels and nothing else")
    func queryBytes() throws {
        let bytes = QueryMessage.bytes(for: try .init(validating: "Dual.World.Test."), type: .aaaa)
        #expect(Array(bytes[12...]) == [4] + Array("dual".utf8) + [5] + Array("world".utf8) + [4] + Array("test".utf8)
            + [0, 0, 28, 0, 1])
        #expect(bytes[2] == 0x01)  // RD
    }
}
