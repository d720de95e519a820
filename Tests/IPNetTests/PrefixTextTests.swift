import IPNet
import Testing

@Suite struct PrefixTextTests {
    @Test(arguments: [
        ("17.0.0.0/8", "17.0.0.0/8"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("192.0.2.1/32", "192.0.2.1/32"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("::/0", "::/0"),
        ("::1/128", "::1/128"),
        ("::ffff:0:0/96", "::ffff:0.0.0.0/96"),
    ])
    func parsesAndPrints(input: String, expected: String) throws {
        let prefix = try IPPrefix(parsing: input)
        #expect(prefix.description == expected)
        #expect(try IPPrefix(parsing: expected) == prefix)
    }

    @Test(arguments: [
        ("10.0.0.1/8", 0, "host bits set; did you mean 10.0.0.0/8?"),
        ("2001:db8::1/32", 0, "host bits set; did you mean 2001:db8::/32?"),
        ("10.0.0.0/33", 8, "/33 is longer than the 32 bits of an IPv4 address"),
        ("::/129", 2, "/129 is longer than the 128 bits of an IPv6 address"),
        ("10.0.0.0/", 9, "missing prefix length after '/'"),
        ("10.0.0.0/08", 9, "leading zero"),
        ("10.0.0.0/255.0.0.0", 9, "netmask notation is not accepted; write /8"),
        ("10.0.0.0/8x", 10, "unexpected 'x'"),
        ("10.0.0.0", 8, "missing prefix length; write 10.0.0.0/32"),
        ("fe80::%eth0/64", 6, "zone ID"),
        ("010.0.0.0/8", 0, "leading zero"),
    ])
    func rejectsWithMessageAndOffset(input: String, offset: Int, message: String) {
        let error = #expect(throws: IPParseError.self) { try IPPrefix(parsing: input) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test func acceptsABareAddressWhenAsked() throws {
        #expect(try IPPrefix(parsing: "192.0.2.1", allowingBareAddress: true).description == "192.0.2.1/32")
        #expect(try IPPrefix(parsing: "2001:db8::1", allowingBareAddress: true).description == "2001:db8::1/128")
    }

    @Test func containsAddressesOfItsOwnFamilyOnly() throws {
        let prefix = try IPPrefix(parsing: "10.0.0.0/8")
        #expect(prefix.contains(try IPAddress(parsing: "10.255.0.1")))
        #expect(!prefix.contains(try IPAddress(parsing: "11.0.0.0")))
        #expect(!prefix.contains(try IPAddress(parsing: "::ffff:10.0.0.1")))
        #expect(try IPPrefix(parsing: "::/0").contains(try IPAddress(parsing: "::ffff:10.0.0.1")))
        #expect(try IPPrefix(parsing: "0.0.0.0/0").contains(try IPPrefix(parsing: "10.0.0.0/8")))
    }

    @Test func reportsBoundsAndCounts() throws {
        let v4 = try IPPrefix(parsing: "192.0.2.0/24")
        #expect(v4.last.description == "192.0.2.255")
        #expect(v4.count.description == "256")
        #expect(try IPPrefix(parsing: "::/0").count.description == "340282366920938463463374607431768211456")
        #expect(try IPPrefix(parsing: "2001:db8::/32").last.description == "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")
    }

    @Test(arguments: [
        ("192.0.2.10-192.0.2.20", "192.0.2.10-192.0.2.20"),
        ("192.0.2.10 - 192.0.2.20", "192.0.2.10-192.0.2.20"),
        ("192.0.2.0/24", "192.0.2.0-192.0.2.255"),
        ("2001:db8::1", "2001:db8::1"),
    ])
    func parsesRangeEntries(input: String, expected: String) throws {
        #expect(try IPRange(parsing: input).description == expected)
    }

    @Test(arguments: [
        ("192.0.2.20-192.0.2.10", 11, "ends before it starts"),
        ("192.0.2.1-::1", 10, "mixes IPv4 and IPv6"),
        ("192.0.2.1-", 10, "empty address"),
    ])
    func rejectsBadRanges(input: String, offset: Int, message: String) {
        let error = #expect(throws: IPParseError.self) { try IPRange(parsing: input) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test func splitsARangeIntoTheFewestPrefixes() throws {
        let range = try IPRange(parsing: "10.0.0.1-10.0.0.14")
        #expect(range.prefixes.map(\.description) == [
            "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/30", "10.0.0.12/31", "10.0.0.14/32",
        ])
        #expect(try IPRange(parsing: "0.0.0.0-255.255.255.255").prefixes.map(\.description) == ["0.0.0.0/0"])
        let all6 = try IPRange(parsing: "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        #expect(all6.prefixes.map(\.description) == ["::/0"])
    }
}
