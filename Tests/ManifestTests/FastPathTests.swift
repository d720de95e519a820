import Testing

@testable import Manifest

/// The shortcuts the decoder and the expansion take for the common case agree with the general rules they
/// stand in for.
@Suite("Fast paths agree with the general rules")
struct FastPathTests {
    @Test("a port's text: ASCII digits read directly, anything else as Int and the digit rule read it",
          arguments: [
        "443", "0", "00080", "65535", "65536", "99999", "999999", "-1", "+5", "١٢", "4 4", "", "1_000", "0x1F", "٤٤٣",
        "-", "--1", "12345678901234567890", "۰", "8\u{301}",
    ])
    func port(_ text: String) {
        let general = Int(text).flatMap { value in text.allSatisfy { $0.isNumber || $0 == "-" } ? value : nil }
        #expect(ManifestDecoder.port(text) == general)
    }

    @Test("the byte scan for control characters misses none of them")
    func controls() {
        for value in UInt32(0)...0x3000 {
            guard let scalar = Unicode.Scalar(value), ManifestDecoder.isForbiddenControl(scalar) else { continue }
            let text = "ab" + String(scalar) + "c"
            #expect(ManifestDecoder.mayHaveForbiddenControl(text), "U+\(String(value, radix: 16))")
        }
        #expect(!ManifestDecoder.mayHaveForbiddenControl("host.example.com\tpurpose ü 日本 😀"))
    }

    @Test("a byte test over contiguous UTF-8: what stepping through utf8 finds", arguments: [
        "", "a", "short{x}", "a.much.longer.host.name.example.com", "b\u{FC}cher", String(repeating: "x", count: 100) + "*",
        "tab\tand\u{85}",
    ])
    func containsUTF8(_ text: String) {
        for byte in [UInt8(ascii: "*"), UInt8(ascii: "{"), 0x09, 0xC2, 0xC3, UInt8(ascii: "x")] {
            #expect(text.containsUTF8 { $0 == byte } == text.utf8.contains(byte))
        }
        let substring = "<\(text)>".dropFirst().dropLast()
        #expect(String(substring).containsUTF8 { $0 == UInt8(ascii: "*") } == text.utf8.contains(UInt8(ascii: "*")))
    }

    @Test("null spellings: compared as the set of them would match", arguments: [
        "~", "null", "Null", "NULL", "", "nULL", "nul", "nulls", " ", "~~", "Nul\u{301}l", "NuLL",
    ])
    func nulls(_ text: String) {
        #expect(ScalarKind.isNullSpelling(text) == ["~", "null", "Null", "NULL", ""].contains(text))
    }

    @Test("a pattern's names: the texts of what it produces, in the same order", arguments: [
        "a.example.com", "*.example.com", "{1..3}-x.{a,b}.example.com", "{sub}.example.com", "{01..10}.x.com",
        "x{1..2}y{sub}z", "{a,b}", "é.example", "",
    ])
    func names(_ text: String) throws {
        let pattern = try HostPattern(parsing: text, allowWildcard: true, allowVariables: true)
        for values in [[:], ["sub": "acme"]] as [[String: String]] {
            #expect(pattern.names(values) == pattern.produce(values).map(\.text))
        }
    }

    @Test("a plain name is one literal from offset 0, as the scalar-by-scalar parser made it", arguments: [
        "a.example.com", "b\u{FC}cher.example", "localhost", "-a..b", "a b", "",
    ])
    func plainName(_ text: String) throws {
        let pattern = try HostPattern(parsing: text, allowWildcard: true, allowVariables: true)
        #expect(pattern.parts == (text.isEmpty ? [] : [.literal(text, origin: 0)]))
        #expect(!pattern.isWildcard && pattern.variables.isEmpty && pattern.count == 1)
        let produced = pattern.produce([:])
        #expect(produced.map(\.origins) == (text.isEmpty ? [[]] : [Array(0..<text.unicodeScalars.count)]))
    }

    @Test("literal runs between braces keep their offsets", arguments: [
        ("ab{1..2}cd", [
            HostPattern.Part.literal("ab", origin: 0), .alternatives(["1", "2"], origin: 2), .literal("cd", origin: 8),
        ]),
        ("*.x{a,b}.é", [.literal("x", origin: 2), .alternatives(["a", "b"], origin: 3), .literal(".é", origin: 8)]),
        ("{sub}", [.variable("sub", origin: 0)]),
    ])
    func literalRuns(_ text: String, _ parts: [HostPattern.Part]) throws {
        #expect(try HostPattern(parsing: text, allowWildcard: true, allowVariables: true).parts == parts)
    }
}

@Suite("Manifest services")
struct ManifestServicesTests {
    @Test("every endpoint's services, each once: hosts and ranges, tcp and udp")
    func services() throws {
        let manifest = try decode(head + """
              - host: a.example.com
                ports: [443, 80]
              - host: b.example.com
                ports: [443]
                protocol: udp
              - range: 17.0.0.0/8
                ports: [5223, 443]

            """)
        let expected = Set((manifest.hosts.map(\.common) + manifest.ranges.map(\.common)).flatMap(\.services))
        #expect(manifest.services == expected)
        #expect(manifest.services.map(\.description).sorted() == ["tcp/443", "tcp/5223", "tcp/80", "udp/443"])
        let bundled = try Manifest.bundled()
        #expect(bundled.services == Set((bundled.hosts.map(\.common) + bundled.ranges.map(\.common)).flatMap(\.services)))
    }
}
