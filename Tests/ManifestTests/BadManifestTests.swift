@testable import Manifest
import Testing

@Suite("Bad manifests: each error at its line and column")
struct BadManifestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var column: Int
        var phrase: String
        var testDescription: String { "\(line):\(column) \(phrase)" }

        init(_ body: String, _ line: Int, _ column: Int, _ phrase: String, withHead: Bool = true) {
            self.yaml = withHead ? head + body : body
            self.line = line
            self.column = column
            self.phrase = phrase
        }
    }

    static let cases: [Case] = [
        Case("  - host: a.example.com\n    ports: [443]\n    prots: [1]\n", 8, 5, "unknown key 'prots'"),
        Case("  - host: a.example.com\n    ports: 443\n", 7, 12, "ports: the number 443"),
        Case("  - host: a.example.com\n", 6, 5, "without 'ports:'"),
        Case("  - host: a.example.com\n    ports: []\n", 7, 12, "ports: a list"),
        Case("  - host: a.example.com\n    ports: [0]\n", 7, 13, "port 0"),
        Case("  - host: a.example.com\n    ports: [443, 65536]\n", 7, 18, "port 65536"),
        Case("  - host: a.example.com\n    ports: [-1]\n", 7, 13, "port -1"),
        Case("  - host: a.example.com\n    ports: [443-80]\n", 7, 13, "\"443-80\""),
        Case("  - host: a.example.com\n    ports: [\"443\"]\n", 7, 13, "the string \"443\""),
        Case("  - host: a.example.com\n    ports: [\"443/tcp\"]\n", 7, 13, "ports: [443] and protocol: tcp)"),
        Case("  - host: a.example.com\n    ports: [443, 53/udp]\n", 7, 18, "ports: [53] and protocol: udp)"),
        Case("  - host: a.example.com\n    ports: [{a: 1}]\n", 7, 13, "a mapping"),
        Case("  - host: a..example.com\n    ports: [443]\n", 6, 13, "empty label"),
        Case("  - host: \"-a.example.com\"\n    ports: [443]\n", 6, 12, "label starting with '-'"),
        Case("  - host: a.*.example.com\n    ports: [443]\n", 6, 13, "not the whole leftmost label"),
        Case("  - host: \"*x.example.com\"\n    ports: [443]\n", 6, 12, "not the whole leftmost label"),
        Case("  - host: \"*\"\n    ports: [443]\n", 6, 12, "a wildcard with no zone after it"),
        Case("  - host: \"*.\"\n    ports: [443]\n", 6, 12, "a wildcard with no zone after it"),
        Case("  - host: \"{1..3}-.example.com\"\n    ports: [443]\n", 6, 18, "label ending with '-'"),
        Case("  - host: \"{nope}.example.com\"\n    ports: [443]\n", 6, 12, "undefined variable {nope}"),
        Case("  - host: \"a.{sub}.{nope}.com\"\n    ports: [443]\n", 6, 20, "undefined variable {nope}"),
        Case("  - host: \"{1..2000}.example.com\"\n    ports: [443]\n", 6, 12, "range of 2000 values"),
        Case("  - host: \"{1..40}.{1..40}.example.com\"\n    ports: [443]\n", 6, 12, "producing 1600 names"),
        Case("  - host: \"{a..z}.example.com\"\n    ports: [443]\n", 6, 12, "brace range {a..z}"),
        Case("  - host: \"{1..3.example.com\"\n    ports: [443]\n", 6, 12, "'{' without '}'"),
        Case("  - host: \"{Sub}.example.com\"\n    ports: [443]\n", 6, 12, "{Sub}"),
        Case("  - host: b\u{FC}cher.example\n    ports: [443]\n", 6, 12, "U+00FC"),
        Case("  - host: b\u{FC}cher.example\n    ports: [443]\n", 6, 12, "did you mean xn--bcher-kva.example?"),
        Case("  - host: localhost\n    ports: [443]\n", 6, 11, "'localhost'"),
        Case("  - host: 127.1\n    ports: [443]\n", 6, 15, "number-like name"),
        Case("  - host: 10.0.0.1\n    ports: [443]\n", 6, 11, "IP address literal"),
        Case("  - host: a.example.com\n    ports: [443]\n    within: appel\n", 8, 13, "'appel' names no range"),
        Case("  - host: a.example.com\n    ports: [443]\n    samples: [a]\n", 8, 5, "samples: on a host without"),
        Case("  - host: \"*.example.com\"\n    ports: [443]\n    samples: [\"-x\"]\n", 8, 16,
             "label starting with '-'"),
        Case("  - host: \"*.example.com\"\n    ports: [443]\n    samples: [\"{sub}\"]\n", 8, 16, "variable {sub}"),
        Case("  - host: \"*.example.com\"\n    ports: [443]\n    samples: [\"a*\"]\n", 8, 17, "wildcard '*'"),
        Case("  - host: \"*.example.com\"\n    ports: [443]\n    samples: [\"b;c\"]\n", 8, 17,
             "character ';' in the sample \"b;c\"; expected ASCII letters, digits, '-', '_' and '.'"),
        Case("  - host: a.example.com\n    ports: [443]\n    purpose: \"ab\\x07\"\n", 8, 17,
             "control character U+0007"),
        Case("  - host: a.example.com\n    ports: [443]\n    purpose: |\n      two\n      lines\n", 8, 17,
             "control character U+000A"),
        Case("  - host: a.example.com\n    ports: [443]\n    os: [beos]\n", 8, 10, "os the string \"beos\""),
        Case("  - host: a.example.com\n    ports: [443]\n    os: macos\n", 8, 9, "os: the string \"macos\""),
        Case("  - host: a.example.com\n    ports: [443]\n    protocol: sctp\n", 8, 15, "protocol the string"),
        Case("  - host: a.example.com\n    ports: [443]\n    region: US East\n", 8, 13, "the string \"US East\""),
        Case("  - host: a.example.com\n    range: 10.0.0.0/8\n    ports: [443]\n", 6, 5, "both host: and range:"),
        Case("  - ports: [443]\n", 6, 5, "without host: or range:"),
        Case("  - a.example.com\n", 6, 5, "the string \"a.example.com\" as an endpoint"),
        Case("  - host: [a.example.com]\n    ports: [443]\n", 6, 11, "a list"),
        Case("  - host:\n    ports: [443]\n", 6, 10, "no value (null)"),
        Case("  - range: 10.0.0.0/8\n    ports: [443]\n    samples: [a]\n", 8, 5, "unknown key 'samples'"),
        Case("  - range: 10.0.0.0/8\n    name: Big Net\n    ports: [443]\n", 7, 11, "the string \"Big Net\""),
        Case("  - range: 10.0.0.0/33\n    ports: [443]\n", 6, 20, "\"10.0.0.0/33\""),
        Case("  - range: 17.0.0.1/8\n    ports: [443]\n", 6, 12, "host bits"),
        Case("  - host: a.example.com\n    ports: [443]\n    within: [17.0.0.1/8]\n", 8, 14, "host bits"),
        Case("manifest: 2\nname: t\nendpoints:\n  - host: a.example.com\n    ports: [443]\n", 1, 11,
             "manifest version the number 2", withHead: false),
        Case("manifest: \"1\"\nname: t\nendpoints:\n  - host: a.example.com\n    ports: [443]\n", 1, 11,
             "manifest version the string \"1\"", withHead: false),
        Case("name: t\nendpoints:\n  - host: a.example.com\n    ports: [443]\n", 1, 1, "without 'manifest:'",
             withHead: false),
        Case("manifest: 1\nname: t\nendpoints: []\n", 3, 12, "a list", withHead: false),
        Case("manifest: 1\nname: t\nvariables:\n  Sub: {}\nendpoints:\n  - host: a.example.com\n    ports: [443]\n",
             4, 3, "variable name 'Sub'", withHead: false),
        Case("manifest: 1\nname: t\nextra: 1\nendpoints:\n  - host: a.example.com\n    ports: [443]\n", 3, 1,
             "unknown key 'extra' in the manifest", withHead: false),
        Case("- a\n- b\n", 1, 1, "a list", withHead: false),
        Case("manifest: 1\nmanifest: 1\n", 1, 1, "duplicate key 'manifest'", withHead: false),
        Case("manifest: 1\nname: [\n", 3, 1, "YAML syntax error", withHead: false),
        Case("  - host: *.example.com\n    ports: [443]\n", 6, 11,
             "a value starting with '*', which YAML reads as an alias; expected the value in quotes"),
        Case("manifest: 1\nname: &n t\nendpoints:\n  - host: a.example.com\n    ports: [443]\n", 2, 7, "anchor",
             withHead: false),
        Case("{\"manifest\": 1, \"name\": \"t\", \"endpoints\": [{\"host\": \"a.example.com\", \"ports\": [0]}]}",
             1, 80, "port 0", withHead: false),
    ]

    @Test("anchors and aliases, on any node: each reported once, where it is written; nested aliases cost nothing")
    func anchorsAndAliases() {
        let shared = "manifest: 1\nname: t\nendpoints:\n  - host: &h a.example.com\n    ports: &p [443]\n"
            + "  - host: *h\n    ports: *p\n  - &e {host: b.example.com, ports: [443]}\n  - *e\n"
        let errors = decodeErrors(shared)
        #expect(errors.map { "\($0.location.line):\($0.location.column) \($0.found)" } == [
            "4:11 a YAML anchor (&h)", "5:12 a YAML anchor (&p)", "6:11 a YAML alias (*h)", "7:12 a YAML alias (*p)",
            "8:5 a YAML anchor (&e)", "9:5 a YAML alias (*e)",
        ])
        #expect(errors.allSatisfy { $0.expected == "plain values (anchors and aliases are not supported)" })
        // A LINE SEPARATOR pasted into a quoted value is a line break to libyaml, not to an editor.
        let pasted = decodeErrors("manifest: 1\nname: \"web\u{2028}page\"\nendpoints: []\nextra: &n t\n")
        #expect(pasted.map { "\($0.location.line):\($0.location.column)" } == ["4:8"])
        // Nine to the power of eight strings, were the aliases followed.
        var laughs = "manifest: 1\nname: t\nendpoints: []\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...8 {
            let aliases = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            laughs += "l\(level): &l\(level) [\(aliases)]\n"
        }
        #expect(decodeErrors(laughs).count == 9 + 8 * 9)
    }

    @Test("the error's position and message", arguments: cases)
    func reportsPosition(_ item: Case) {
        let errors = decodeErrors(item.yaml)
        let match = errors.first { $0.location.line == item.line && $0.location.column == item.column }
        #expect(match != nil, "no error at \(item.line):\(item.column); got \(errors.map(\.description))")
        if let match {
            #expect(match.description.contains(item.phrase), "\(match.description)")
            #expect(match.description.hasPrefix("m.yaml:\(item.line):\(item.column): "))
            #expect(match.description.ranges(of: "; expected ").count == 1, "once: \(match.description)")
        }
    }

    @Test("a misspelt key: the key it was probably meant to be, and the missing key not reported again")
    func misspeltKeys() {
        let errors = decodeErrors(head + "  - host: a.example.com\n    port: [443]\n")
        #expect(errors.map(\.description) == [
            "m.yaml:7:5: unknown key 'port' in a host endpoint; expected one of host, ports, protocol, os, region, "
                + "purpose, samples, within; did you mean 'ports'?",
        ])
        // Nothing close: no guess, and the missing key is reported.
        let far = decodeErrors(head + "  - host: a.example.com\n    xyz: [443]\n")
        #expect(far.count == 2)
        #expect(far.allSatisfy { !$0.description.contains("did you mean") })
        #expect(far.contains { $0.description.contains("without 'ports:'") })
        let guesses: [(String, String?)] = [
            ("prots", "ports"), ("purpos", "purpose"), ("regoin", "region"), ("sample", "samples"),
            ("hostname", "host"), ("withn", "within"), ("xyz", nil), ("pt", nil), ("pots", "ports"),
        ]
        for (typed, meant) in guesses {
            #expect(KeySuggestion.closest(to: typed, among: ["host", "ports", "protocol", "os", "region",
                                                             "purpose", "samples", "within"]) == meant, "\(typed)")
        }
    }

    @Test("a bad host name's error says what it expected once, then the suggestion")
    func hostNameMessage() {
        let errors = decodeErrors(head + "  - host: https://api.example.com/v1\n    ports: [443]\n")
        #expect(errors.map(\.description) == [
            "m.yaml:6:16: character ':' in \"https://api.example.com/v1\"; expected ASCII letters, digits, '-', '_' "
                + "and '.' (a host name, not a URL or host:port); did you mean api.example.com?",
        ])
        let plain = decodeErrors(head + "  - host: a b.example\n    ports: [443]\n")
        #expect(plain.map(\.description) == [
            "m.yaml:6:12: space in \"a b.example\"; expected ASCII letters, digits, '-', '_' and '.'",
        ])
    }

    @Test("every error of a file is reported at once, in file order")
    func allErrorsAtOnce() {
        let yaml = head + """
              - host: a..example.com
                ports: [0]
              - host: "{nope}.example.com"
                ports: [443]
                colour: red
              - range: 17.0.0.1/8
                ports: [70000]

            """
        let errors = decodeErrors(yaml)
        #expect(errors.map { "\($0.location.line):\($0.location.column)" }
            == ["6:13", "7:13", "8:12", "10:5", "11:12", "12:13"], "\(errors.map(\.description))")
    }
}

@Suite("Unreadable manifest files")
struct UnreadableFileTests {
    func errors(_ bytes: [UInt8]) -> [ManifestError] {
        do {
            _ = try Manifest(bytes: bytes, file: "f.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    @Test("an empty or blank file")
    func empty() {
        #expect(errors([]).first?.description == "f.yaml:1:1: an empty file; expected a manifest: a mapping with "
            + "manifest: 1, name: and endpoints:")
        #expect(errors(Array(" \n\n".utf8)).first?.found == "an empty file")
        #expect(errors(Array("# only a comment\n".utf8)).first?.found == "a document with no content")
    }

    @Test("binary data: the first NUL byte's position")
    func binary() {
        let found = errors(Array("manifest: 1\nna".utf8) + [0, 1, 2, 0xFF])
        #expect(found.first?.description == "f.yaml:2:3: a NUL byte (binary data); expected a UTF-8 text file")
    }

    @Test("non-UTF-8 text: the first bad byte's position")
    func notUTF8() {
        let found = errors(Array("manifest: 1\nname: caf".utf8) + [0xE9] + Array("\n".utf8))
        #expect(found.first?.description
            == "f.yaml:2:10: the byte 0xE9, which is not UTF-8; expected a UTF-8 text file")
    }

    @Test("a directory and a missing file")
    func notAFile() throws {
        let folder = "/tmp"
        #expect(throws: ManifestErrors.self) { try Manifest(contentsOf: folder) }
        do {
            _ = try Manifest(contentsOf: folder)
        } catch {
            #expect(error.description == "\(folder):1:1: a directory; expected a manifest file (YAML or JSON)")
        }
        do {
            _ = try Manifest(contentsOf: "/nonexistent/m.yaml")
        } catch {
            #expect(error.errors.first?.found == "no such file")
        }
    }
}
