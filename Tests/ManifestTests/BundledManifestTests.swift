import Foundation
import Hostnames
import IPNet
import Manifest
import TestSupport
import Testing

@Suite("The bundled Iru manifest")
struct BundledManifestTests {
    static let variables = ["subdomain": "acme", "uuid": "0f1e2d3c"]

    @Test("the embedded copy is Manifests/iru.yaml byte for byte (run scripts/embed-defaults.py if not)")
    func embeddedMatchesFile() throws {
        let file = try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("Manifests/iru.yaml"))
        let embedded = try #require(Manifest.bundledText("iru"))
        #expect(Array(embedded.utf8) == Array(file), "Sources/Manifest/Generated is stale")
        #expect(Manifest.bundledNames == ["iru"])
    }

    @Test("scripts/embed-defaults.py --check agrees that the generated file is current")
    func generatorCheck() throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", "scripts/embed-defaults.py", "Manifests/*.yaml",
            "Sources/Manifest/Generated/EmbeddedManifests.swift", "EmbeddedManifests", "--check",
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Every host the vendor page names, read from the page itself: run-together cells are split before each
    /// `UUID.` or `subdomain.`, and the placeholders become `{uuid}` and `{subdomain}`.
    static func seedHosts() throws -> Set<String> {
        var text = try String(contentsOf: TestPaths.fixture("iru-network-requirements.txt"), encoding: .utf8)
        let split = try NSRegularExpression(pattern: "(?<=[a-z])(?=(UUID|subdomain)\\.)")
        text = split.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
        let host = try NSRegularExpression(
            pattern: "(?:\\*\\.)?(?:UUID\\.|subdomain\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|io|org)\\b")
        let matches = host.matches(in: text, range: NSRange(text.startIndex..., in: text))
        return Set(matches.map { match in
            String(text[Range(match.range, in: text)!])
                .replacingOccurrences(of: "UUID.", with: "{uuid}.")
                .replacingOccurrences(of: "subdomain.", with: "{subdomain}.")
        })
    }

    @Test("every host in the vendor page is in the manifest")
    func coversSeed() throws {
        let seed = try Self.seedHosts()
        #expect(seed.count >= 23)
        #expect(seed.contains("{subdomain}.kandji.io") && seed.contains("{subdomain}.iru.com"))
        #expect(seed.contains("{subdomain}.id.gateway.iru.com") && seed.contains("{uuid}.devices.eu.kandji.io"))
        let manifest = try Manifest.bundled("iru")
        let patterns = Set(manifest.hosts.map(\.pattern.text))
        #expect(seed.subtracting(patterns).isEmpty, "missing from Manifests/iru.yaml: \(seed.subtracting(patterns))")
    }

    @Test("decodes with no error, with the Apple range and wildcards as documented")
    func decodes() throws {
        let manifest = try Manifest.bundled()
        #expect(manifest.name == "iru")
        #expect(manifest.variables.map(\.name) == ["subdomain", "uuid"])
        let apple = try #require(manifest.range(named: "apple"))
        #expect(apple.prefix == (try IPPrefix(parsing: "17.0.0.0/8")))
        #expect(apple.common.ports == [443, 2197, 5223])
        #expect(manifest.regions == ["eu", "us"])
        let purposes = manifest.hosts.compactMap(\.common.purpose)
        #expect(purposes.count == manifest.hosts.count, "every host keeps the vendor's description")
    }

    @Test("expands with --var subdomain and uuid to the expected names")
    func expands() throws {
        let expansion = try Manifest.bundled().expand(variables: Self.variables)
        let names = Set(expansion.names.map(\.text))
        let expected = [
            "browser-intake-datadoghq.com", "events.launchdarkly.com", "updater.iru.com", "acme.iru.com",
            "0f1e2d3c.web-api.kandji.io", "0f1e2d3c.devices.us-1.kandji.io", "kandji-prd.s3.amazonaws.com",
            "iru-prd-managed-library-items.s3.amazonaws.com", "managed-library.kandji.io", "acme.web-api.kandji.io",
            "acme.kandji.io", "acme.gateway.kandji.com", "acme.gateway.iru.com", "windows-agent.kandji.io",
            "acme.id.iru.com", "acme.id.connect.iru.com", "acme.id.devices.iru.com", "acme.id.gateway.iru.com",
            "0f1e2d3c.web-api.eu.kandji.io", "0f1e2d3c.devices.eu.kandji.io", "acme.eu.kandji.io",
            "api.push.apple.com",
        ] + (1...50).map { "\($0)-courier.push.apple.com" }
            + ["r10", "r11", "r12", "r13", "r14", "e5", "e6", "e7", "e8", "e9"].map { "\($0).c.lencr.org" }
        #expect(Set(expected).subtracting(names).isEmpty, "\(Set(expected).subtracting(names))")
        #expect(expansion.targets.filter { $0.role == .exact }.count == 72)
        #expect(expansion.targets.count == expected.count + 2)  // plus one probe per wildcard zone
        #expect(expansion.skipped.isEmpty)
        #expect(expansion.wildcards.map(\.zone.text) == ["c.lencr.org", "iot.kandji.io"])
        #expect(expansion.wildcards.map(\.isEnumerable) == [true, false])
        let courier = try #require(expansion.targets.first { $0.name.text == "7-courier.push.apple.com" })
        #expect(courier.within.first?.rangeName == "apple")
        #expect(courier.ports == [443, 5223])
    }

    @Test("without variables, the tenant endpoints are skipped and name their --var")
    func skipsTenantEndpoints() throws {
        let expansion = try Manifest.bundled().expand(filter: ExpansionFilter(region: "eu"))
        #expect(expansion.skipped.map(\.endpoint.label).contains("{uuid}.web-api.eu.kandji.io"))
        #expect(Set(expansion.skipped.flatMap(\.flags)) == ["--var subdomain=…", "--var uuid=…"])
        #expect(!expansion.names.map(\.text).contains("windows-agent.kandji.io"))  // region us
    }
}
