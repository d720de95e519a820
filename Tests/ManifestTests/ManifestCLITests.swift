import Foundation
import TestSupport
import Testing

@Suite("egressmap manifest check|expand")
struct ManifestCLITests {
    @Test("check reports every error of a file at once on stderr, with exit status 2")
    func checkBad() throws {
        let path = "Tests/Fixtures/manifests/bad-many.yaml"
        let result = try runEgressmap(["manifest", "check", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        for position in ["9:12: undefined variable {tenant}", "11:13: wildcard", "12:18: port 65536",
                         "13:12: \"17.0.0.1/8\": host bits set; did you mean 17.0.0.0/8?",
                         "17:13: the string \"443\"", "19:5: unknown key 'colour'"] {
            #expect(result.stderr.contains("\(path):\(position)"), "\(position) missing in:\n\(result.stderr)")
        }
        #expect(!result.stderr.contains("appel"), "a range that failed to decode still has its name")
        #expect(result.stderr.contains("6 errors in \(path)"))
    }

    @Test("check a port range: the position of the bad port")
    func checkPortRange() throws {
        let result = try runEgressmap(["manifest", "check", "Tests/Fixtures/manifests/bad-ports.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Tests/Fixtures/manifests/bad-ports.yaml:5:13: the string \"443-80\"; "
            + "expected a port number from 1 to 65535 (ranges are not supported: list each port)"))
    }

    @Test("- reads standard input: the same checks, errors at <stdin>:LINE:COLUMN")
    func checkStandardInput() throws {
        let good = try String(contentsOfFile: "Tests/Fixtures/manifests/good.json", encoding: .utf8)
        let ok = try runEgressmap(["manifest", "check", "-"], stdin: good)
        #expect(ok.status == 0)
        #expect(ok.stdout == "OK <stdin>: manifest good, 2 host endpoints (1 wildcard), 1 range, variables: sub\n")
        let bad = try runEgressmap(
            ["manifest", "check", "-"],
            stdin: try String(contentsOfFile: "Tests/Fixtures/manifests/bad-ports.yaml", encoding: .utf8)
        )
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("<stdin>:5:13: the string \"443-80\"; "), "\(bad.stderr)")
        #expect(bad.stderr.hasSuffix("1 error in <stdin>\n"), "\(bad.stderr)")
    }

    @Test("check a good file (JSON is YAML) and the bundled manifest: one OK line, exit 0")
    func checkGood() throws {
        let json = try runEgressmap(["manifest", "check", "Tests/Fixtures/manifests/good.json"])
        #expect(json.status == 0)
        #expect(json.stdout == "OK Tests/Fixtures/manifests/good.json: manifest good, 2 host endpoints (1 wildcard), "
            + "1 range, variables: sub\n")
        let bundled = try runEgressmap(["manifest", "check", "--bundled", "iru"])
        #expect(bundled.status == 0)
        #expect(bundled.stdout.hasPrefix("OK Manifests/iru.yaml: manifest iru"))
    }

    @Test("check a directory, a missing file, binary data: exit 2 with a sentence")
    func checkUnreadable() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("junk.yaml")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: binary)
        let cases = [(folder.path, "a directory"), (folder.path + "/none.yaml", "no such file"),
                     (binary.path, "1:5: a NUL byte (binary data)")]
        for (path, phrase) in cases {
            let result = try runEgressmap(["manifest", "check", path])
            #expect(result.status == 2)
            #expect(result.stderr.contains(phrase), "\(result.stderr)")
        }
    }

    @Test("neither or both of FILE and --bundled: exit 2")
    func usage() throws {
        for arguments in [["manifest", "check"], ["manifest", "check", "x.yaml", "--bundled", "iru"]] {
            let result = try runEgressmap(arguments)
            #expect(result.status == 2)
            #expect(result.stderr.contains("give a manifest FILE or --bundled NAME (iru)"))
        }
        let unknown = try runEgressmap(["manifest", "check", "--bundled", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "egressmap: --bundled: no bundled manifest 'nope'; expected one of iru\n")
        let expand = try runEgressmap(["manifest", "expand", "--bundled", "nope"])
        #expect(expand.status == 2)
        #expect(expand.stderr == unknown.stderr)
        #expect(expand.stdout.isEmpty)
    }

    @Test("expand prints name, role, endpoint and ports, tab-separated; skipped endpoints go to stderr")
    func expand() throws {
        let result = try runEgressmap(["manifest", "expand", "Tests/Fixtures/manifests/good.json"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 1)
        #expect(lines.first?.count == 4)
        #expect(lines.first?[0].hasPrefix("_em-") == true)
        #expect(lines.first?[1] == "catch-all-probe")
        #expect(lines.first?[2] == "*.example.net (Tests/Fixtures/manifests/good.json:2:63)")
        #expect(lines.first?[3] == "tcp/443")
        #expect(result.stderr.contains("needs --var sub=…"))
        #expect(result.stderr.contains("*.example.net cannot be enumerated"))

        let withVar = try runEgressmap(["manifest", "expand", "Tests/Fixtures/manifests/good.json",
                                        "--var", "sub=Acme"])
        #expect(withVar.stdout.hasPrefix("acme.example.com\texact\t{sub}.example.com (Tests/Fixtures/manifests/"
            + "good.json:2:16)\ttcp/443\n"))
    }

    @Test("expand the bundled manifest with variables and filters")
    func expandBundled() throws {
        let result = try runEgressmap(["manifest", "expand", "--bundled", "iru", "--var", "subdomain=acme",
                                       "--var", "uuid=abc123", "--region", "eu", "--os", "macOS"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("abc123.web-api.eu.kandji.io\texact\t"))
        #expect(result.stdout.contains("50-courier.push.apple.com\texact\t"))
        #expect(!result.stdout.contains("windows-agent.kandji.io"))
        #expect(result.stderr.contains("range apple 17.0.0.0/8"))

        // --os all is every platform: the same names as no --os at all.
        let base = ["manifest", "expand", "--bundled", "iru", "--var", "subdomain=acme", "--var", "uuid=abc123"]
        let every = try runEgressmap(base)
        let all = try runEgressmap(base + ["--os", "all"])
        #expect(all.status == 0)
        // The catch-all probes included: their labels are the same in every expansion.
        #expect(all.stdout == every.stdout)
        #expect(all.stdout.split(separator: "\n").count > 60)
        #expect(all.stdout.contains("windows-agent.kandji.io") && all.stdout.contains("50-courier.push.apple.com"))
    }

    @Test(
        "bad --var, --os and --region: exit 2 with what was expected",
        arguments: [
            (["--var", "subdomain"], "expected NAME=VALUE"),
            (["--var", "=acme"], "expected NAME=VALUE"),
            (["--var", "tenant=acme"], "declares no variable 'tenant'"),
            (["--var", "subdomain=a b"], "--var subdomain=a b: space at column 2"),
            (["--var", "subdomain=a", "--var", "subdomain=b"], "given twice"),
            (["--os", "beos"], "--os beos: expected one of all, macos"),
            (["--var", "subdomain=bücher"], "; did you mean subdomain=xn--bcher-kva?"),
            (["--region", "ue"], "no endpoint has region 'ue'; expected one of: eu, us"),
            // The whole host where its first label was meant: acme.iru.com.iru.com.
            (["--var", "subdomain=Acme.IRU.com"],
             "egressmap: --var subdomain=acme.iru.com: {subdomain}.iru.com (Manifests/iru.yaml:37:5) would give a name "
                + "that repeats its end; expected the part that goes in place of {subdomain}; did you mean "
                + "subdomain=acme?"),
        ]
    )
    func badOptions(arguments: [String], phrase: String) throws {
        let result = try runEgressmap(["manifest", "expand", "--bundled", "iru"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
    }
}
