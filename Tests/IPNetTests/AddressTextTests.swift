import IPNet
import Testing

@Suite struct AddressTextTests {
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"),
        ("192.0.2.1", "192.0.2.1"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // first of two equal runs
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group stays
        ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),  // the longest run
        ("0:0:1:0:0:0:0:0", "0:0:1::"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("::ffff:0102:0304", "::ffff:1.2.3.4"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"),
    ])
    func parsesAndPrintsCanonically(input: String, expected: String) throws {
        let address = try IPAddress(parsing: input)
        #expect(address.description == expected)
        #expect(try IPAddress(parsing: expected) == address)
    }

    @Test(arguments: [
        ("010.1.1.1", 0, "leading zero"),
        ("10.01.1.1", 3, "leading zero"),
        ("127.1", 0, "shorthand"),
        ("0x7f.0.0.1", 0, "hexadecimal"),
        ("2130706433", 0, "bare integer"),
        ("256.1.1.1", 0, "larger than 255"),
        ("1.2.3.4.5", 7, "more than 4 octets"),
        ("1.2..4", 4, "empty octet"),
        ("1.2.3.", 6, "empty octet"),
        ("", 0, "empty address"),
        ("1.2.3.4 ", 7, "a space"),
        ("fe80::1%eth0", 7, "zone ID '%eth0'"),
        ("[::1]", 0, "brackets"),
        ("1::2::3", 4, "only once"),
        ("12345::", 0, "more than 4 hex digits"),
        ("1:2:3:4:5:6:7", 0, "only 7 of 8 groups"),
        ("1:2:3:4:5:6:7:8:9", 16, "more than 8 groups"),
        ("1:2:3:4:5:6:7:8::", 0, "stands for no group"),
        (":1::", 0, "single ':' cannot start"),
        ("1::2:", 4, "single ':' cannot end"),
        ("1:::2", 3, "empty group"),
        ("::ffff:1.2.3", 7, "shorthand"),
        ("::1.2.3.4:5", 9, "unexpected ':'"),
        ("1.2.3.4/32", 7, "prefix length is not allowed"),
        ("::g", 2, "unexpected 'g'"),
        ("1.2.3.é", 6, "non-ASCII character U+00E9 'é'"),
        ("1.2.3.4\u{202E}5", 7, "non-ASCII character U+202E in"),
    ])
    func rejectsWithMessageAndOffset(input: String, offset: Int, fragment: String) {
        #expect {
            try IPAddress(parsing: input)
        } throws: { error in
            guard let error = error as? IPParseError else { return false }
            return error.offset == offset && error.message.contains(fragment) && error.input == input
        }
    }

    @Test("the input in a message shows control and format characters by code point, never raw")
    func printableInput() {
        let error = #expect(throws: IPParseError.self) { try IPAddress(parsing: "1.2.3.4\u{0}\u{202E}") }
        #expect(error?.description == "1.2.3.4\\u{0}\\u{202E}: unexpected control character 0x0 in an IPv4 address "
            + "(column 8)")
    }

    @Test func offsetCountsCharactersNotBytes() throws {
        let error = #expect(throws: IPParseError.self) { try IPAddress(parsing: "1.é.3.4x") }
        #expect(error?.offset == 2)
    }

    @Test func ordersIPv4BeforeIPv6ThenNumerically() throws {
        let texts = ["::1", "10.0.0.1", "9.255.255.255", "::ffff:1.1.1.1", "2001:db8::", "0.0.0.0"]
        let sorted = try texts.map { try IPAddress(parsing: $0) }.sorted().map(\.description)
        #expect(sorted == ["0.0.0.0", "9.255.255.255", "10.0.0.1", "::1", "::ffff:1.1.1.1", "2001:db8::"])
    }

    @Test func keepsTheCoreInitialisers() {
        #expect(IPv4Address(bytes: [192, 0, 2, 1]).description == "192.0.2.1")
        let bytes: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]
        #expect(IPv6Address(bytes: bytes).description == "2001:db8::1")
        #expect(IPv6Address(high: 0, low: 1).bits == 1)
    }
}
