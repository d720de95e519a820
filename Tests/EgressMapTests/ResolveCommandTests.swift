import Foundation
import Testing
import TestSupport

/// `egressmap resolve`, run as the built binary against the test world.
@Suite("egressmap resolve")
struct ResolveCommandTests {
    struct Line: Decodable {
        struct Seen: Decodable {
            var address: String
            var type: String
            var ttl: Int
        }
        struct Lookup: Decodable {
            struct Link: Decodable {
                var name: String
                var target: String
                var ttl: Int
            }
            var type: String
            var outcome: String
            var rcode: String?
            var chain: [Link]
            var negative_ttl: Int?
        }
        var name: String
        var line: Int?
        var outcome: String
        var addresses: [Seen]
        var lookups: [Lookup]
    }

    func lines(_ output: String) throws -> [String: Line] {
        var result: [String: Line] = [:]
        for text in output.split(separator: "\n") {
            let line = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
            result[line.name] = line
        }
        return result
    }

    @Test("--json prints exactly what the zones hold")
    func exactZoneData() throws {
        let server = try TestWorld.resolver()
        let output = try runEgressmap([
            "resolve", "--server", server, "--json", "www.world.test", "dual.world.test", "v6only.world.test",
            "missing.world.test", "sink.world.test",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let byName = try lines(output.stdout)
        #expect(byName.count == 5)

        let www = try #require(byName["www.world.test"])
        #expect(www.outcome == "ok")
        #expect(www.addresses.map(\.address) == ["45.60.20.1", "45.60.20.2", "2a05:d014:20::1"])
        #expect(www.addresses.map(\.type) == ["A", "A", "AAAA"])
        for lookup in www.lookups {
            #expect(lookup.chain.map(\.name) == ["www.world.test", "edge.cdn.test"])
            #expect(lookup.chain.map(\.target) == ["edge.cdn.test", "e1.akam.test"])
        }

        let dual = try #require(byName["dual.world.test"])
        #expect(dual.addresses.map(\.address) == ["5.188.10.1", "5.188.10.2", "2a05:d014:10::1", "2a05:d014:10::2"])

        let v6only = try #require(byName["v6only.world.test"])
        #expect(v6only.outcome == "ok")
        #expect(v6only.addresses.map(\.address) == ["2a05:d014:10::3"])
        #expect(v6only.lookups.first { $0.type == "A" }?.outcome == "nodata")
        #expect(v6only.lookups.first { $0.type == "A" }?.negative_ttl == 900)

        let missing = try #require(byName["missing.world.test"])
        #expect(missing.outcome == "nxdomain")
        #expect(missing.addresses.isEmpty)
        #expect(missing.lookups.map(\.rcode) == ["NXDOMAIN", "NXDOMAIN"])

        // Special-purpose answers are returned by the engine; the classifier decides later.
        #expect(try #require(byName["sink.world.test"]).addresses.map(\.address) == ["0.0.0.0"])
    }

    @Test("the JSON Lines output validates against the committed schema")
    func schema() throws {
        let output = try runEgressmap([
            "resolve", "--server", try TestWorld.resolver(), "--json", "www.world.test", "missing.world.test",
            "many.world.test", "loop1.world.test", "v4.world.test",
        ])
        #expect(output.status == 0)
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("out.jsonl")
        try Data(output.stdout.utf8).write(to: file)
        let check = try validateJSON(file, schema: "resolve-line", lines: true)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("5 document(s), 0 error(s)"))
    }

    @Test("bad names as arguments: exit 2, every one reported, nothing sent")
    func badArguments() throws {
        let probe = "sentinel\(UInt32.random(in: 0...UInt32.max)).f.test"
        let output = try runEgressmap([
            "resolve", "--server", try TestWorld.faults(), probe, "bad name.test", "a..b.test", "*.wild.test",
            String(repeating: "a", count: 64) + ".test",
        ])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("bad name.test"))
        #expect(output.stderr.contains("a..b.test"))
        #expect(output.stderr.contains("*.wild.test"))
        #expect(output.stderr.split(separator: "\n").count >= 4)
        let log = try String(
            contentsOfFile: try TestWorld.value("EGRESSMAP_TEST_WORLD") + "/faultd.log", encoding: .utf8
        )
        #expect(!log.contains(probe))
    }

    @Test("an option checked while running is reported with its command's usage, exit 2", arguments: [
        (["resolve", "--rounds", "0", "a.example"], "--rounds must be from 1 to 100; found 0", "egressmap resolve"),
        (["run", "--var", "x"], "--var x: expected NAME=VALUE", "egressmap run"),
        (["manifest", "expand", "--var", "x", TestPaths.fixture("run/world.yaml").path], "--var x", "egressmap manifest expand"),
    ])
    func usageOfTheCommand(arguments: [String], message: String, command: String) throws {
        let output = try runEgressmap(arguments)
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Error: " + message) == true, "\(output.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("Usage: \(command) ") == true, "\(output.stderr)")
        #expect(lines.last == "  See '\(command) --help' for more information.", "\(output.stderr)")
    }

    @Test("help for a command that does not exist: exit 2 and the commands there are, not the top help and 0",
          arguments: [
              (["help", "nope"], "Error: egressmap has no command 'nope'; expected one of run, resolve, manifest, cidr, "
                  + "emit, diff, history, probe"),
              (["help", "manifest", "nope"], "Error: egressmap manifest has no command 'nope'; expected one of check, "
                  + "expand"),
          ])
    func helpForNothing(arguments: [String], message: String) throws {
        let output = try runEgressmap(arguments)
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix(message + "\n"), "\(output.stderr)")
        let known = try runEgressmap(["help", "manifest", "check"])
        #expect(known.status == 0 && known.stdout.contains("USAGE: egressmap manifest check"))
    }

    @Test("a resolver profile that cannot be used: the reason and where, exit 2, nothing written")
    func unusableProfile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("servers: [nope]\n".utf8).write(to: bad)
        let missing = folder.appendingPathComponent("missing.yaml").path
        let out = folder.appendingPathComponent("out")
        let cases: [([String], String)] = [
            (["resolve", "a.example", "--resolvers", missing], "egressmap: \(missing): cannot read the profile"),
            (["resolve", "a.example", "--resolvers", "bogus"], "egressmap: bogus: no bundled resolver profile"),
            (["run", "--resolvers", bad.path, "--out", out.path], "egressmap: \(bad.path):1:11: bad server \"nope\""),
        ]
        for (arguments, message) in cases {
            let output = try runEgressmap(arguments)
            #expect(output.status == 2, "\(arguments)")  // not 1, which `run` gives to a changed allowlist
            #expect(output.stderr.hasPrefix(message), "\(output.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("bad lines in --input are reported with their numbers and skipped; exit 2 at the end")
    func badInputLines() throws {
        let input = "# names\ndual.world.test  # a comment after the name\n\nbad name\nv4.world.test\nbücher.test\n"
        let output = try runEgressmap(["resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-"], stdin: input)
        #expect(output.status == 2)
        #expect(output.stderr.contains("-:4:"))
        #expect(output.stderr.contains("-:6:"))
        let byName = try lines(output.stdout)
        #expect(Set(byName.keys) == ["dual.world.test", "v4.world.test"])
        #expect(byName["dual.world.test"]?.line == 2)
        #expect(byName["v4.world.test"]?.line == 5)
    }

    @Test("a list saved on Windows (a byte order mark, CRLF line ends) reads as the names; a mark inside is reported")
    func windowsText() throws {
        let input = "\u{FEFF}dual.world.test\r\nv4.world.test\r\n\u{FEFF}www.world.test\r\n"
        let output = try runEgressmap(["resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-"], stdin: input)
        #expect(output.status == 2)  // line 3's mark is not at the start of the input
        #expect(output.stderr.hasPrefix("-:3: non-ASCII character U+FEFF (invisible) at column 1"), "\(output.stderr)")
        let byName = try lines(output.stdout)
        #expect(Set(byName.keys) == ["dual.world.test", "v4.world.test"])
        #expect(byName["dual.world.test"]?.line == 1)
        #expect(byName["dual.world.test"]?.outcome == "ok")
    }

    @Test("LOCALDOMAIN, RES_OPTIONS and HOSTALIASES change nothing")
    func environmentIgnored() throws {
        let server = try TestWorld.resolver()
        let aliases = try makeTemporaryFolder().appendingPathComponent("aliases")
        try Data("dual v4.world.test\n".utf8).write(to: aliases)
        let environment = [
            "LOCALDOMAIN": "world.test", "RES_OPTIONS": "ndots:5 attempts:9 timeout:30 rotate",
            "HOSTALIASES": aliases.path,
        ]
        let plain = try runEgressmap(["resolve", "--server", server, "--json", "v4.world.test"])
        let withEnvironment = try runEgressmap(
            ["resolve", "--server", server, "--json", "v4.world.test"], environment: environment
        )
        #expect(try lines(plain.stdout)["v4.world.test"]?.addresses.map(\.address) == ["5.188.10.3"])
        #expect(try lines(withEnvironment.stdout)["v4.world.test"]?.addresses.map(\.address) == ["5.188.10.3"])
        // A single label must not become dual.world.test through the search domain or the alias file.
        let single = try runEgressmap(["resolve", "--server", server, "--json", "--timeout", "300ms", "dual"], environment: environment)
        let dual = try #require(try lines(single.stdout)["dual"])
        #expect(dual.addresses.isEmpty)
        #expect(dual.outcome != "ok")
    }

    @Test("the table lists every type per name")
    func table() throws {
        let output = try runEgressmap(["resolve", "--server", try TestWorld.resolver(), "v4.world.test"])
        #expect(output.status == 0)
        let rows = output.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("NAME") == true)
        #expect(rows.contains { $0.hasPrefix("v4.world.test") && $0.contains(" A ") && $0.contains("5.188.10.3") })
        #expect(rows.contains { $0.hasPrefix("v4.world.test") && $0.contains("AAAA") && $0.contains("nodata") })
    }

    @Test("a namespace of its own with the loopback down: no route to 127.0.0.1, no address to send to ::1 from")
    func loopbackDown() throws {
        // Nothing can be sent: the run gets a network namespace of its own, whose loopback is down.
        let output = try runProcess(URL(fileURLWithPath: "/usr/bin/unshare"), [
            "-n", TestPaths.binary.path, "resolve", "--server", "127.0.0.1:53", "--server", "[::1]:53", "--type", "A",
            "--timeout", "200ms", "--tries", "1", "v4.world.test",
        ])
        #expect(output.status == 4)
        let rows = output.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains {
            $0.contains("127.0.0.1:53") && $0.hasSuffix(
                "the server could not be reached: network unreachable (ENETUNREACH: no route to it from this host)")
        }, "\(output.stdout)")
        #expect(rows.contains {
            $0.contains("[::1]:53") && $0.hasSuffix("the server could not be reached: no address to send from "
                + "(EADDRNOTAVAIL: this host has no address of that family up (::1 with IPv6 off, or the loopback down))")
        }, "\(output.stdout)")
    }

    @Test("no answer from any server: exit 4 in seconds, not minutes")
    func everyLookupFailed() throws {
        let started = Date()
        let output = try runEgressmap([
            "resolve", "--server", try TestWorld.deadServer(), "--timeout", "200ms", "--tries", "2", "v4.world.test",
        ])
        #expect(output.status == 4)
        let dead = try TestWorld.deadServer()
        #expect(output.stderr.contains(
            "no name got an answer from \(dead) (1 of 1 name: timeout from \(dead): no reply within the timeout and tries)"
        ), "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// 10,000 names at the default window: every one answered, exactly as the generator wrote them.
@Suite("Bulk resolve", .serialized)
struct BulkResolveTests {
    @Test("10,000 names, zero timeouts, every address as generated")
    func tenThousand() throws {
        let world = try TestWorld.value("EGRESSMAP_TEST_WORLD")
        let output = try runEgressmap([
            "resolve", "--server", try TestWorld.resolver(), "--json", "--input", world + "/bulk-names.txt",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        var expected: [String: Set<String>] = [:]
        for row in try String(contentsOfFile: world + "/bulk-expected.tsv", encoding: .utf8).split(separator: "\n") {
            let fields = row.split(separator: "\t")
            var name = String(fields[0])
            if name.hasSuffix(".") { name.removeLast() }
            expected[name, default: []].insert(String(fields[2]))
        }
        var seen: [String: Set<String>] = [:]
        var timeouts = 0
        for text in output.stdout.split(separator: "\n") {
            let line = try JSONDecoder().decode(ResolveCommandTests.Line.self, from: Data(text.utf8))
            seen[line.name] = Set(line.addresses.map(\.address))
            timeouts += line.lookups.filter { $0.outcome == "timeout" }.count
        }
        #expect(expected.count == 10_000)
        #expect(timeouts == 0)
        #expect(seen.count == 10_000)
        #expect(seen == expected)
    }
}
