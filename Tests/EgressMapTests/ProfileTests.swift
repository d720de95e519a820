import DNS
import Foundation
import Testing
import TestSupport

@testable import EgressMap

@Suite("Resolver profiles")
struct ProfileTests {
    @Test("the bundled profiles load", arguments: ["system", "public"])
    func bundled(name: String) throws {
        let profile = try ResolverProfile.load(name)
        #expect(profile.name == name)
    }

    @Test("public asks every server of three operators over both families")
    func publicProfile() throws {
        let profile = try ResolverProfile.load("public")
        #expect(profile.mode == .union)
        guard case .listed(let servers) = profile.servers else {
            Issue.record("public lists its servers")
            return
        }
        #expect(servers.contains(try ServerAddress(parsing: "1.1.1.1")))
        #expect(servers.contains(try ServerAddress(parsing: "[2606:4700:4700::1111]:53")))
        #expect(servers.contains { $0.family == .v6 } && servers.contains { $0.family == .v4 })
    }

    @Test("a server entry ${NAME}: unset and empty said apart, each at its position")
    func environmentServers() {
        let text = "servers: [\"${QA_DNS}\"]\n"
        for (environment, phrase) in [([:], "QA_DNS is not set (a server entry"), (["QA_DNS": ""], "QA_DNS is empty")] {
            do {
                _ = try ResolverProfile.parse(text, name: "env", file: "env.yaml", environment: environment)
                Issue.record("accepted")
            } catch {
                #expect(error.description.hasPrefix("env.yaml:1:11: the environment variable \(phrase)"),
                        "\(error.description)")
            }
        }
        let set = try? ResolverProfile.parse(
            text, name: "env", file: "env.yaml", environment: ["QA_DNS": "127.0.0.1:5399"]
        )
        #expect(set != nil)
    }

    @Test("the test world's profile takes its server from the environment")
    func testWorld() throws {
        let profile = try ResolverProfile.load("testworld", environment: ["EGRESSMAP_TEST_DNS": "127.0.0.1:5300"])
        #expect(profile.servers == .listed([try ServerAddress(parsing: "127.0.0.1:5300")]))
        #expect(throws: ProfileError.self) { try ResolverProfile.load("testworld", environment: [:]) }
    }

    @Test("system reads the nameserver lines of resolv.conf")
    func system() throws {
        let folder = try makeTemporaryFolder()
        let file = folder.appendingPathComponent("resolv.conf")
        try Data("search corp.test\nnameserver 10.0.0.53\nnameserver fe80::1%eth0\nnameserver ::1\n".utf8).write(to: file)
        let configuration = try ResolverProfile.load("system").configuration(resolvConf: file.path)
        #expect(configuration.servers.map(\.description) == ["10.0.0.53:53", "[::1]:53"])
        #expect(configuration.mode == .failover)
    }

    @Test("bad profiles name the line and column", arguments: [
        ("profile: 1\nservers: [1.1.1.1]\nmode: both\n", 3, 7, "expected union or failover"),
        ("profile: 1\nservers: [1.1.1.1, nonsense]\n", 2, 20, "not an IPv4 or IPv6 address"),
        ("profile: 1\nservers: [1.1.1.1]\nwindow: 0\n", 3, 9, "expected window from 1"),
        ("profile: 1\nservers: [1.1.1.1]\ntimeout: soon\n", 3, 10, "not a duration"),
        ("profile: 1\nservers: [1.1.1.1]\nretries: 3\n", 3, 1, "unknown key \"retries\""),
        ("profile: 2\nservers: [1.1.1.1]\n", 1, 10, "expected profile: 1"),
        ("profile: 1\n", 1, 1, "missing servers"),
    ])
    func badProfiles(text: String, line: Int, column: Int, phrase: String) {
        do {
            _ = try ResolverProfile.parse(text, name: "bad", file: "bad.yaml")
            Issue.record("accepted a bad profile")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.description.hasPrefix("bad.yaml:\(line):\(column): "))
            #expect(error.description.contains(phrase), "\(error.description)")
        }
    }

    @Test("every error of a profile at once, each at its line and column, with the key a misspelt one meant")
    func everyError() {
        let text = "profile: 1\ntimout: 2s\nwindw: 5\nmode: roundrobin\nservers: [1.1.1.1, nonsense]\n"
        do {
            _ = try ResolverProfile.parse(text, name: "bad", file: "bad.yaml")
            Issue.record("accepted a bad profile")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(error.description)")
            #expect(lines.map { $0.split(separator: ":").prefix(3).joined(separator: ":") }
                == ["bad.yaml:2:1", "bad.yaml:3:1", "bad.yaml:4:7", "bad.yaml:5:20"])
            #expect(lines[0].hasSuffix("; did you mean timeout?"))
            #expect(lines[1].hasSuffix("; did you mean window?"))
            #expect(lines[2].hasSuffix("found roundrobin; expected union or failover"))
        }
    }

    @Test("the embedded profiles equal the YAML files byte for byte")
    func embeddedInSync() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Resolvers")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(EmbeddedResolvers.files.keys))
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(EmbeddedResolvers.files[String(file.dropLast(5))] == text, "\(file): run scripts/embed-defaults.py")
        }
    }
}

@Suite("Durations and JSON text")
struct TextTests {
    @Test("durations", arguments: [
        ("1", Duration.seconds(1)), ("0.5", .milliseconds(500)), ("500ms", .milliseconds(500)), ("3s", .seconds(3)),
        ("5m", .seconds(300)), ("12h", .seconds(43200)), ("7d", .seconds(604_800)), ("0", .zero),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test("bad durations", arguments: ["", "-1", "1x", "s", "1.2.3", "ten", "1e3", "99999999d"])
    func badDurations(text: String) {
        #expect(throws: DurationText.ParseError.self) { try DurationText.parse(text) }
    }

    @Test("JSON strings escape quotes, backslashes and control characters")
    func jsonEscaping() throws {
        var json = JSONText()
        json.beginObject()
        json.string("k\"ey", "a\"b\\c\nd\u{1}e\u{2028}")
        json.key("list")
        json.beginArray()
        json.number(1)
        json.number(2.5)
        json.null()
        json.endArray()
        json.endObject()
        #expect(json.text == #"{"k\"ey":"a\"b\\c\nd\u0001e\u2028","list":[1,2.5,null]}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any]
        #expect(decoded?["k\"ey"] as? String == "a\"b\\c\nd\u{1}e\u{2028}")
    }
}
