import IPNet
import Testing

@Suite struct AddressSetTests {
    func set(_ lines: String...) throws -> IPAddressSet {
        try IPAddressSet(parsingList: lines.joined(separator: "\n"))
    }

    func texts(_ set: IPAddressSet) -> [String] { set.prefixes.map(\.description) }

    @Test func splitsASlash8ByAHole() throws {
        let pieces = try IPPrefix(parsing: "10.0.0.0/8").removing(try IPPrefix(parsing: "10.1.2.3/32"))
        #expect(pieces.count == 24)
        #expect(pieces.first?.description == "10.0.0.0/16")
        #expect(pieces.last?.description == "10.128.0.0/9")
        #expect(!IPAddressSet(pieces).contains(try IPAddress(parsing: "10.1.2.3")))
        #expect(IPAddressSet(pieces).ipv4Count == (1 << 24) - 1)
    }

    @Test func mergesCoveredAndAdjacentPrefixes() throws {
        let merged = try set("10.0.0.0/25", "10.0.0.128/25", "10.0.0.7", "10.0.1.0-10.0.1.255", "10.0.0.0/24")
        #expect(texts(merged) == ["10.0.0.0/23"])
    }

    @Test func keepsIPv4MappedAddressesApartFromIPv4() throws {
        let merged = try set("1.2.3.4", "::ffff:1.2.3.5", "1.2.3.5", "::ffff:1.2.3.4")
        #expect(texts(merged) == ["1.2.3.4/31", "::ffff:1.2.3.4/127"])
        #expect(texts(merged.ipv4Only) == ["1.2.3.4/31"])
        #expect(texts(merged.ipv6Only) == ["::ffff:1.2.3.4/127"])
    }

    @Test func coversTheWholeSpaces() throws {
        let merged = try set("0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        #expect(texts(merged) == ["0.0.0.0/0", "::/0"])
        #expect(merged.count.description == "340282366920938463463374607436063178752")
    }

    @Test func combinesSets() throws {
        let a = try set("10.0.0.0/24", "2001:db8::/64")
        let b = try set("10.0.0.128/25", "10.0.1.0/24", "2001:db8::/65")
        #expect(texts(a.union(b)) == ["10.0.0.0/23", "2001:db8::/64"])
        #expect(texts(a.intersection(b)) == ["10.0.0.128/25", "2001:db8::/65"])
        #expect(texts(a.subtracting(b)) == ["10.0.0.0/25", "2001:db8:0:0:8000::/65"])
        #expect(texts(b.subtracting(a)) == ["10.0.1.0/24"])
        #expect(a.isSuperset(of: try set("10.0.0.5", "2001:db8::1")))
        #expect(!a.isSuperset(of: b))
    }

    @Test func insertsOneAtATime() throws {
        var set = IPAddressSet()
        set.insert(try IPPrefix(parsing: "192.0.2.0/25"))
        set.insert(try IPAddress(parsing: "192.0.2.200"))
        let range = IPRange(first: try IPAddress(parsing: "192.0.2.128"), last: .v4(IPv4Address(0xc000_02c7)))
        set.insert(try #require(range))
        #expect(texts(set) == ["192.0.2.0/25", "192.0.2.128/26", "192.0.2.192/29", "192.0.2.200/32"])
        set.insert(try IPRange(parsing: "192.0.2.201-192.0.2.255"))
        #expect(texts(set) == ["192.0.2.0/24"])
        set.remove(try IPPrefix(parsing: "192.0.2.64/26"))
        #expect(texts(set) == ["192.0.2.0/26", "192.0.2.128/25"])
    }

    @Test func answersContainment() throws {
        let set = try set("10.0.0.0/8", "2001:db8::/32")
        #expect(set.contains(try IPAddress(parsing: "10.255.255.255")))
        #expect(!set.contains(try IPAddress(parsing: "11.0.0.0")))
        #expect(!set.contains(try IPAddress(parsing: "::ffff:10.0.0.1")))
        #expect(set.contains(try IPPrefix(parsing: "10.128.0.0/9")))
        #expect(!set.contains(try IPPrefix(parsing: "0.0.0.0/0")))
        #expect(set.contains(try IPPrefix(parsing: "2001:db8:ffff::/48")))
    }

    @Test func reportsTheLineOfABadEntry() {
        let error = #expect(throws: IPListError.self) {
            try IPAddressSet(parsingList: "# list\n10.0.0.0/8\n\n  10.0.0.1/8  # typo\n")
        }
        #expect(error?.line == 4)
        #expect(error?.error.input == "10.0.0.1/8")
        #expect(error?.description == "line 4: 10.0.0.1/8: host bits set; did you mean 10.0.0.0/8? (column 1)")
    }
}
