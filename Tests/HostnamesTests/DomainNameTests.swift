import Hostnames
import Testing

@Suite("DomainName accepts")
struct DomainNameAcceptTests {
    @Test(
        "valid names, lower-cased, trailing dot dropped",
        arguments: [
            ("www.example.com", "www.example.com"),
            ("WWW.Example.COM.", "www.example.com"),
            ("_em-probe.example.com", "_em-probe.example.com"),
            ("_sip._tcp.example.com", "_sip._tcp.example.com"),
            ("1-courier.push.apple.com", "1-courier.push.apple.com"),
            ("xn--bcher-kva.de", "xn--bcher-kva.de"),
            ("XN--BCHER-KVA.DE", "xn--bcher-kva.de"),
            ("com", "com"),
            ("3com.com", "3com.com"),
            ("a.b2", "a.b2"),
            ("0xfoo.com", "0xfoo.com"),
            ("localhost.example.com", "localhost.example.com"),
            (String(repeating: "a", count: 63) + ".com", String(repeating: "a", count: 63) + ".com"),
        ]
    )
    func accepts(input: String, expected: String) throws {
        #expect(try DomainName(validating: input).text == expected)
    }

    @Test("a name of exactly 253 characters, and 254 with the trailing dot")
    func longestName() throws {
        let label = String(repeating: "a", count: 61)
        let name = [label, label, label, label].joined(separator: ".") + ".abcde"  // 4*62 + 5 = 253
        #expect(name.count == 253)
        #expect(try DomainName(validating: name).text == name)
        #expect(try DomainName(validating: name + ".").text == name)
    }

    @Test("an input far longer than a name is shown in part in its error, with its length")
    func longInputShownInPart() {
        let input = String(repeating: "a", count: 1_000_000)
        do {
            _ = try DomainName(validating: input)
            Issue.record("accepted")
        } catch {
            #expect(error.description.count < 500, "\(error.description.count) characters")
            #expect(error.description.contains(String(repeating: "a", count: 300) + "… (1000000 characters in all)\""))
        }
    }

    @Test("labels and parent")
    func labelsAndParent() throws {
        let name = try DomainName(validating: "a.b.example.com")
        #expect(name.labels == ["a", "b", "example", "com"])
        #expect(name.parent?.text == "b.example.com")
        #expect(try DomainName(validating: "com").parent == nil)
    }

    @Test("validateLabels lets a number-like label stand inside a longer name")
    func labelsAlone() throws {
        #expect(try DomainName.validateLabels("12345") == "12345")
        #expect(try DomainName.validateLabels("Acme.EU") == "acme.eu")
        #expect(throws: NameError.self) { try DomainName.validateLabels("a b") }
    }
}

@Suite("DomainName rejects")
struct DomainNameRejectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var column: Int
        var phrase: String
        var testDescription: String { "\(input.debugDescription) at \(column): \(phrase)" }
    }

    static let cases: [Case] = [
        Case(input: "", column: 1, phrase: "empty name"),
        Case(input: ".", column: 1, phrase: "empty name"),
        Case(input: "a..b", column: 3, phrase: "empty label"),
        Case(input: ".a.com", column: 1, phrase: "empty label"),
        Case(input: "a.com..", column: 7, phrase: "empty label"),
        Case(input: String(repeating: "a", count: 64) + ".com", column: 64, phrase: "longer than 63"),
        Case(input: "exa mple.com", column: 4, phrase: "space"),
        Case(input: "exa\tmple.com", column: 4, phrase: "control character U+0009"),
        Case(input: "example.com\u{7F}", column: 12, phrase: "control character U+007F"),
        Case(input: "*.example.com", column: 1, phrase: "wildcard '*'"),
        Case(input: "a.*.example.com", column: 3, phrase: "wildcard '*'"),
        Case(input: "-a.example.com", column: 1, phrase: "label starting with '-'"),
        Case(input: "a-.example.com", column: 2, phrase: "label ending with '-'"),
        Case(input: "a.example.com-", column: 14, phrase: "label ending with '-'"),
        Case(input: "exa/mple.com", column: 4, phrase: "character '/'"),
        Case(input: "example.com:443", column: 12, phrase: "character ':'"),
        Case(input: "localhost", column: 1, phrase: "'localhost'"),
        Case(input: "LOCALHOST.", column: 1, phrase: "'localhost'"),
        Case(input: "app.localhost", column: 5, phrase: "'localhost'"),
        Case(input: "127.1", column: 5, phrase: "number-like name"),
        Case(input: "2130706433", column: 1, phrase: "number-like name"),
        Case(input: "0x7f.1", column: 6, phrase: "number-like name"),
        Case(input: "0x7f000001", column: 1, phrase: "number-like name"),
        Case(input: "example.123", column: 9, phrase: "number-like name"),
        Case(input: "1.2.3.4", column: 1, phrase: "IP address literal"),
        Case(input: "::1", column: 1, phrase: "IP address literal"),
        Case(input: "[2001:db8::1]", column: 1, phrase: "IP address literal"),
        Case(input: "xn--zz.com", column: 1, phrase: "invalid punycode label"),
        Case(input: "a.xn--.com", column: 3, phrase: "invalid punycode label"),
        Case(input: "xn--abc.com", column: 1, phrase: "invalid punycode label"),
        Case(input: "b\u{FC}cher.de", column: 2, phrase: "non-ASCII character U+00FC '\u{FC}'"),
        Case(input: "exam\u{200B}ple.com", column: 5, phrase: "U+200B (invisible)"),
        Case(input: "\u{202E}moc.example", column: 1, phrase: "U+202E (invisible)"),
        Case(input: "\u{FF25}\u{FF38}\u{FF21}\u{FF2D}\u{FF30}\u{FF2C}\u{FF25}\u{FF0E}\u{FF43}\u{FF4F}\u{FF4D}",
             column: 1, phrase: "U+FF25"),
    ]

    @Test("each error names the problem and its column", arguments: cases)
    func rejects(_ item: Case) {
        #expect {
            try DomainName(validating: item.input)
        } throws: { error in
            guard let error = error as? NameError else { return false }
            return error.column == item.column && error.problem.contains(item.phrase) && !error.expected.isEmpty
        }
    }

    @Test("a URL or host:port pasted for a name: the host is suggested when it is a valid name", arguments: [
        ("https://api.example.com/v1", 6, ":", "api.example.com"),
        ("HTTPS://API.Example.com:8443/x?y#z", 6, ":", "api.example.com"),
        ("api.example.com:443", 16, ":", "api.example.com"),
        ("user@api.example.com", 5, "@", "api.example.com"),
        ("api.example.com/v1", 16, "/", "api.example.com"),
        ("a:b", 2, ":", nil),
        ("https://*.example.com/", 6, ":", nil),
        ("http://[::1]:53/", 5, ":", nil),
    ] as [(String, Int, String, String?)])
    func pastedURL(input: String, column: Int, character: String, host: String?) {
        #expect {
            try DomainName(validating: input)
        } throws: { error in
            guard let error = error as? NameError else { return false }
            return error.column == column && error.problem == "character '\(character)'"
                && error.suggestion == host
                && error.expected.hasSuffix(host == nil ? "'.'" : "(a host name, not a URL or host:port)")
        }
    }

    @Test("a name of 254 characters without the dot is too long, at column 254")
    func tooLong() {
        let label = String(repeating: "a", count: 62)
        let name = [label, label, label, label].joined(separator: ".") + ".ab"  // 4*63 + 2 = 254
        #expect(name.count == 254)
        #expect(throws: NameError(input: name, column: 254, problem: "name of 254 characters",
                                  expected: "at most 253 characters (254 with a trailing dot)")) {
            try DomainName(validating: name)
        }
    }
}
