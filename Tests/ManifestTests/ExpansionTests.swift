import Foundation
import Hostnames
import IPNet
import Manifest
import Testing

@Suite("Expansion")
struct ExpansionTests {
    @Test(
        "brace ranges and lists",
        arguments: [
            ("\"{1..3}-courier.push.apple.com\"", ["1-courier.push.apple.com", "2-courier.push.apple.com",
                                                   "3-courier.push.apple.com"]),
            ("\"h{08..11}.example.com\"", ["h08.example.com", "h09.example.com", "h10.example.com", "h11.example.com"]),
            ("\"{3..1}.example.com\"", ["3.example.com", "2.example.com", "1.example.com"]),
            ("\"{a,b}.{x,y}.example.com\"", ["a.x.example.com", "a.y.example.com", "b.x.example.com",
                                             "b.y.example.com"]),
            ("WWW.Example.COM.", ["www.example.com"]),
        ]
    )
    func braces(host: String, expected: [String]) throws {
        let manifest = try decode(head + "  - host: \(host)\n    ports: [443]\n")
        #expect(try expand(manifest).names.map(\.text) == expected)
    }

    @Test("the 1,000-name cap is inclusive")
    func cap() throws {
        let manifest = try decode(head + "  - host: \"{1..1000}.example.com\"\n    ports: [443]\n")
        #expect(try expand(manifest).targets.count == 1_000)
    }

    @Test("variables are substituted, lower-cased and validated as labels")
    func variables() throws {
        let manifest = try decode(head + "  - host: \"{sub}.example.com\"\n    ports: [443]\n")
        #expect(try expand(manifest, ["sub": "Acme"]).names.map(\.text) == ["acme.example.com"])
        #expect(try expand(manifest, ["sub": "eu.acme"]).names.map(\.text) == ["eu.acme.example.com"])
        #expect(throws: ExpansionError.self) { try expand(manifest, ["sub": "a b"]) }
        #expect(throws: ExpansionError.self) { try expand(manifest, ["sub": "b\u{FC}cher"]) }
        let long = String(repeating: "a.", count: 130) + "a"
        #expect(throws: ExpansionError.self) { try expand(manifest, ["sub": long]) }
        do throws(ExpansionError) {
            _ = try manifest.expand(variables: ["nope": "x"])
            Issue.record("an undeclared variable was accepted")
        } catch {
            #expect(error == .unknownVariable(name: "nope", declared: ["sub"]))
            #expect(error.description.contains("--var nope"))
        }
    }

    @Test("a missing variable skips only the endpoints that need it, naming the flag")
    func missingVariable() throws {
        let manifest = try decode(head + """
              - host: "{sub}.example.com"
                ports: [443]
              - host: plain.example.com
                ports: [443]

            """)
        let expansion = try expand(manifest)
        #expect(expansion.names.map(\.text) == ["plain.example.com"])
        #expect(expansion.skipped.count == 1)
        #expect(expansion.skipped.first?.missing == ["sub"])
        #expect(expansion.skipped.first?.flags == ["--var sub=…"])
        #expect(expansion.skipped.first?.endpoint.location == SourceLocation(file: "m.yaml", line: 6, column: 5))
    }

    @Test("wildcards: samples in place of '*', and one catch-all probe per zone")
    func wildcards() throws {
        let manifest = try decode(head + """
              - host: "*.c.lencr.org"
                ports: [443]
                samples: [r10, "e{5..6}", R10]
              - host: "*.iot.kandji.io"
                ports: [443]
              - host: "*.C.LENCR.ORG."
                ports: [80]

            """)
        let expansion = try expand(manifest)
        let samples = expansion.targets.filter { $0.role == .sample(zone: try! DomainName(validating: "c.lencr.org")) }
        #expect(samples.map(\.name.text) == ["r10.c.lencr.org", "e5.c.lencr.org", "e6.c.lencr.org"])
        #expect(samples.allSatisfy { $0.ports == [80, 443] && $0.sources.count == 2 })
        let probes = expansion.targets.filter { if case .catchAllProbe = $0.role { true } else { false } }
        #expect(probes.count == 2)
        for probe in probes {
            #expect(probe.name.text.wholeMatch(of: /_em-[a-z0-9]{10}\.(c\.lencr\.org|iot\.kandji\.io)/) != nil)
        }
        #expect(expansion.wildcards.map(\.zone.text) == ["c.lencr.org", "iot.kandji.io"])
        #expect(expansion.wildcards.map(\.isEnumerable) == [true, false])
        #expect(expansion.wildcards[1].note.contains("cannot be enumerated; needs an FQDN/SNI rule"))
        #expect(expansion.wildcards[0].probe == probes[0].name)
    }

    @Test("a zone's probe label is the zone's alone: the same in any manifest, whatever else it says")
    func probeLabelOfTheZone() throws {
        let one = try decode(head + "  - host: \"*.c.lencr.org\"\n    ports: [443]\n")
        // Another manifest: a comment, an exact name and another wildcard before the zone, the zone spelt
        // in capitals with a trailing dot, and samples.
        let other = try decode(head + """
              # edited
              - host: www.example.com
                ports: [443]
              - host: "*.iot.kandji.io"
                ports: [443]
              - host: "*.C.LENCR.ORG."
                ports: [80]
                samples: [r10]

            """)
        let probe = try #require(expand(one).wildcards.first?.probe.text)
        let zones = try expand(other).wildcards
        #expect(zones.map(\.zone.text) == ["iot.kandji.io", "c.lencr.org"])
        #expect(zones[1].probe.text == probe)
        // Labels computed apart (FNV-1a 64 of the zone's name seeding SplitMix64, Swift's bounded draw, in
        // Python): pinned, so that an upgrade does not rename every probe, which a diff reports as drift.
        #expect(probe == "_em-g6zb47qe1r.c.lencr.org")
        #expect(zones[0].probe.text == "_em-ya8ihfe834.iot.kandji.io")
    }

    @Test("a value that is the whole host, where its first labels were meant: refused, with the part meant")
    func valueRepeatingTheName() throws {
        let manifest = try decode(head + "  - host: \"{sub}.corp.example.com\"\n    ports: [443]\n")
        #expect(throws: ExpansionError.self) { try manifest.expand(variables: ["sub": "a.b.corp.example.com"]) }
        do {
            _ = try manifest.expand(variables: ["sub": "a.b.corp.example.com"])
        } catch {
            guard case .valueRepeatsName(let name, _, _, let meant) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(name == "sub" && meant == "a.b")
        }
        // Labels of its own, or a part of the name's end only, are values like any other.
        #expect(try manifest.expand(variables: ["sub": "a.b"]).names.map(\.text) == ["a.b.corp.example.com"])
        #expect(try manifest.expand(variables: ["sub": "a.example.com"]).names.map(\.text)
            == ["a.example.com.corp.example.com"])
    }

    @Test("duplicates differing in case or a trailing dot merge into one target")
    func duplicates() throws {
        let manifest = try decode(head + """
              - host: A.Example.com
                ports: [443]
              - host: a.example.com.
                ports: [53]
                protocol: udp
              - host: "{a,A}.example.com"
                ports: [443]

            """)
        let targets = try expand(manifest).targets
        #expect(targets.count == 1)
        #expect(targets.first?.services.map(\.description) == ["tcp/443", "udp/53"])
        #expect(targets.first?.sources.map(\.index) == [0, 1, 2])
    }

    @Test("region and os filters")
    func filters() throws {
        let manifest = try decode(head + """
              - host: shared.example.com
                ports: [443]
              - host: us.example.com
                ports: [443]
                region: us
                os: [macos]
              - host: eu.example.com
                ports: [443]
                region: eu
                os: [all]
              - host: win.example.com
                ports: [443]
                os: [windows]

            """)
        func names(_ filter: ExpansionFilter) throws -> [String] {
            try expand(manifest, filter: filter).names.map(\.text)
        }
        #expect(try names(ExpansionFilter()).count == 4)
        #expect(try names(ExpansionFilter(region: "us")) == ["shared.example.com", "us.example.com", "win.example.com"])
        #expect(try names(ExpansionFilter(platform: .macos)) == ["shared.example.com", "us.example.com",
                                                                   "eu.example.com"])
        #expect(try names(ExpansionFilter(region: "eu", platform: .windows)) == ["shared.example.com",
                                                                                   "eu.example.com", "win.example.com"])
        #expect(throws: ExpansionError.unknownRegion("ue", known: ["eu", "us"])) {
            try expand(manifest, filter: ExpansionFilter(region: "ue"))
        }
    }

    @Test("ranges and within: a named range or a list of prefixes")
    func within() throws {
        let manifest = try decode(head + """
              - host: "{1..2}-courier.push.apple.com"
                ports: [5223, 443, 443]
                within: apple
              - range: 17.0.0.0/8
                name: apple
                ports: [443, 5223, 2197]
              - host: b.example.com
                ports: [443]
                within: [192.0.2.0/24, "2001:db8::/32"]

            """)
        let expansion = try expand(manifest)
        let apple = try IPPrefix(parsing: "17.0.0.0/8")
        #expect(expansion.ranges.map(\.prefix) == [apple])
        #expect(expansion.ranges.first?.common.ports == [443, 2197, 5223])
        #expect(expansion.targets[0].within == [Within(rangeName: "apple", prefixes: [apple])])
        #expect(expansion.targets[0].ports == [443, 5223])
        #expect(expansion.targets[2].within.first?.prefixes.count == 2)
        #expect(expansion.targets[2].within.first?.rangeName == nil)
    }

    @Test("targets encode to JSON and back")
    func codable() throws {
        let manifest = try decode(head + "  - host: \"*.example.com\"\n    ports: [443]\n    within: [10.0.0.0/8]\n")
        let expansion = try expand(manifest)
        let data = try JSONEncoder().encode(expansion)
        #expect(try JSONDecoder().decode(Expansion.self, from: data) == expansion)
    }
}
