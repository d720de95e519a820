import Foundation
import Testing
import TestSupport

@testable import Drift

/// `egressmap run` as the built binary, against the test world.
@Suite("egressmap run")
struct RunCommandTests {
    static let manifest = TestPaths.fixture("run/world.yaml").path

    func run(_ out: URL, _ extra: [String] = []) throws -> ProcessOutput {
        try runEgressmap(
            ["run", "--manifest", Self.manifest, "--server", try TestWorld.resolver(), "--out", out.path,
             "--var", "tenant=acme"] + extra
        )
    }

    func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Writes `yaml` as `<name>.yaml` in `out` and runs it into `out` with `--no-probe`.
    func runManifest(_ yaml: String, named name: String, in out: URL) throws -> (result: ProcessOutput, manifest: URL) {
        let manifest = out.appendingPathComponent("\(name).yaml")
        try Data(yaml.utf8).write(to: manifest)
        let result = try runEgressmap(
            ["run", "--manifest", manifest.path, "--server", try TestWorld.resolver(), "--out", out.path, "--no-probe"]
        )
        return (result, manifest)
    }

    func snapshot(_ out: URL) throws -> Snapshot {
        try SnapshotCoding.decodeSnapshot(try Data(contentsOf: out.appendingPathComponent("latest.json")), file: "latest.json")
    }

    @Test("allowlists prefix for prefix, and the findings")
    func allowlists() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(out)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let allowlist = out.appendingPathComponent("allowlist")
        #expect(try lines(allowlist.appendingPathComponent("tcp-443.txt")) == [
            "17.0.0.0/8", "23.45.67.89/32", "35.190.12.1/32", "45.60.20.1/32", "45.60.20.2/32", "104.18.23.1/32",
            "2600:1901:0:12::1/128", "2a05:d014:20::1/128",
        ])
        #expect(try lines(allowlist.appendingPathComponent("tcp-5223.txt")) == ["17.0.0.0/8", "23.45.67.89/32"])
        #expect(try lines(allowlist.appendingPathComponent("tcp-80.txt")) == ["2.16.10.10/31"])
        #expect(try lines(allowlist.appendingPathComponent("all.txt")) == [
            "2.16.10.10/31", "17.0.0.0/8", "23.45.67.89/32", "35.190.12.1/32", "45.60.20.1/32", "45.60.20.2/32",
            "104.18.23.1/32", "2600:1901:0:12::1/128", "2a05:d014:20::1/128",
        ])
        let files = try FileManager.default.contentsOfDirectory(atPath: allowlist.path).sorted()
        #expect(files == ["all.txt", "allowlist.json", "tcp-443.txt", "tcp-5223.txt", "tcp-80.txt"])

        let taken = try snapshot(out)
        func kinds(_ kind: String) -> [Finding] { taken.findings.filter { $0.kind == kind } }
        let outside = kinds("outside-range")
        #expect(outside.map(\.name) == ["7-courier.push.apple.com"])
        #expect(outside.first?.address == "23.45.67.89")
        #expect(outside.first?.chain == ["7-courier.push.apple.com → courier-edge.akam.test"])
        #expect(Set(kinds("sinkholed").compactMap(\.name)) == ["sink.world.test", "private.world.test", "mapped.world.test"])
        #expect(Set(kinds("special-purpose").compactMap(\.address)) == ["0.0.0.0", "10.1.2.3", "::ffff:10.0.0.1"])
        #expect(kinds("special-purpose").first { $0.address == "::ffff:10.0.0.1" }?.message.contains("IPv4-mapped embeds 10.0.0.1") == true)
        #expect(kinds("catch-all").count == 1)
        #expect(kinds("catch-all").first?.message.contains("*.iot.kandji.io") == true)
        #expect(kinds("samples-only").first?.message.contains("*.c.lencr.org") == true)
        #expect(kinds("skipped-endpoint").first?.message.contains("--var uuid=") == true)
        #expect(taken.findings.count == 10)
        // Couriers inside 17.0.0.0/8 are covered by the range on both ports, not listed alone.
        let courier = try #require(taken.names.first { $0.name == "1-courier.push.apple.com" })
        #expect(courier.addresses.map(\.status) == ["covered"])
        #expect(courier.addresses.map(\.address) == ["17.57.146.1"])
        let tcp443 = try #require(taken.allowlists.first { $0.name == "tcp-443" })
        #expect(tcp443.prefixes.first { $0.prefix == "45.60.20.1/32" }?.names == ["www.world.test"])
        #expect(tcp443.prefixes.first { $0.prefix == "17.0.0.0/8" }?.endpoints == ["apple 17.0.0.0/8"])
        #expect(result.stdout.contains("outside-range"))
        #expect(result.stdout.contains("published"))
        // The parts add up to the names: the probe of *.c.lencr.org, which has no catch-all, counted apart.
        #expect(result.stdout.contains(
            "10 endpoints, 17 names over 1 round: 16 ok, 0 without address, 0 failed, 1 probe found no catch-all; "
                + "19 addresses"
        ), "\(result.stdout)")
    }

    @Test("two runs over the same answers give the same snapshot bytes apart from times")
    func deterministic() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        let first = try Data(contentsOf: out.appendingPathComponent("latest.json"))
        #expect(try run(out).status == 0)
        let second = try Data(contentsOf: out.appendingPathComponent("latest.json"))
        func withoutTimes(_ data: Data) -> String {
            String(decoding: data, as: UTF8.self).split(separator: "\n").filter { line in
                !["\"run_id\"", "\"started_at\"", "\"finished_at\"", "\"duration_ms\"", "\"generated_at\"", "\"first_seen\"", "\"last_seen\""]
                    .contains { line.contains($0) }
            }.joined(separator: "\n")
        }
        #expect(first != second)
        #expect(withoutTimes(first) == withoutTimes(second))
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("snapshots").path)
        #expect(snapshots.count == 2)
    }

    @Test("a manifest edited in a comment: the catch-all probes keep their names, and the diff says no change")
    func editedManifest() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        let before = try snapshot(out).names.map(\.name)
        let edited = out.appendingPathComponent("edited.yaml")
        let text = try String(contentsOfFile: Self.manifest, encoding: .utf8)
        try ("# reviewed by the firewall team\n" + text).write(to: edited, atomically: true, encoding: .utf8)
        let result = try runEgressmap(
            ["run", "--manifest", edited.path, "--server", try TestWorld.resolver(), "--out", out.path,
             "--var", "tenant=acme"]
        )
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let after = try snapshot(out).names.map(\.name)
        #expect(after == before)
        #expect(after.filter { $0.hasPrefix("_em-") }.count == 2)
        let diff = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("diff.json")))
        #expect((diff as? [String: Any])?["same"] as? Bool == true, "\(diff)")
    }

    @Test("set names that would change (the manifest renamed): refused, exit 3, until --set-prefix or --force")
    func setNameGuard() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out, ["--format", "ipset", "--no-probe", "--exit-code"]).status == 1)
        let ipset = out.appendingPathComponent("allowlist/allowlist.ipset")
        let published = try String(contentsOf: ipset, encoding: .utf8)
        #expect(published.contains("create world_v4_tcp443 "))
        #expect(try snapshot(out).policy.setPrefix == "world")
        // A run with the default formats writes no sets, and keeps the names of those in place on record.
        #expect(try run(out, ["--no-probe", "--exit-code"]).status == 0)
        #expect(try snapshot(out).policy.setPrefix == "world")
        let link = out.appendingPathComponent("allowlist").path
        let inPlace = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        let renamed = out.appendingPathComponent("renamed.yaml")
        let text = try String(contentsOfFile: Self.manifest, encoding: .utf8)
        #expect(text.contains("name: world\n"))
        try text.replacingOccurrences(of: "name: world\n", with: "name: world-v2\n")
            .write(to: renamed, atomically: true, encoding: .utf8)
        func runRenamed(_ extra: [String]) throws -> ProcessOutput {
            try runEgressmap(
                ["run", "--manifest", renamed.path, "--server", try TestWorld.resolver(), "--out", out.path,
                 "--var", "tenant=acme", "--no-probe", "--format", "ipset", "--exit-code"] + extra
            )
        }
        let refused = try runRenamed([])
        #expect(refused.status == 3, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains(
            "egressmap: not published: set-name guard: the set names would change from world_* to world_v2_* (the "
                + "manifest's name: or --set-prefix changed)"
        ), "\(refused.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == inPlace)
        // The names kept: published, nothing changed.
        let kept = try runRenamed(["--set-prefix", "world"])
        #expect(kept.status == 0, "\(kept.stdout)\(kept.stderr)")
        #expect(try String(contentsOf: ipset, encoding: .utf8).contains("create world_v4_tcp443 "))
        // Forced: published under the new names, and a change for --exit-code though no address changed.
        let forced = try runRenamed(["--force"])
        #expect(forced.status == 1, "\(forced.stdout)\(forced.stderr)")
        #expect(try String(contentsOf: ipset, encoding: .utf8).contains("create world_v2_v4_tcp443 "))
        #expect(try snapshot(out).publishNote?.hasPrefix("set-name guard overridden by --force") == true)
        // What a person reads says so: the rename is a change, with the old names.
        let diff = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("diff.json")))
            as? [String: Any]
        #expect(diff?["same"] as? Bool == false)
        #expect(diff?["headline"] as? String == "set names world_* → world_v2_* (the old sets are to be removed)")
        #expect(forced.stdout.contains("set names world_* → world_v2_*"), "\(forced.stdout)")
        // emit names the sets as the run did, without --set-prefix.
        let emitted = try runEgressmap(["emit", "--snapshot", out.appendingPathComponent("latest.json").path,
                                        "--format", "nft"])
        #expect(emitted.status == 0)
        #expect(emitted.stdout.contains("world_v2_v4_tcp443"), "\(emitted.stdout)")
    }

    @Test("UDP ports, which no TCP probe can test, are listed as not probed in the summary and matrix.md")
    func udpNotProbed() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let (result, _) = try runManifest("""
            manifest: 1
            name: udp
            endpoints:
              - host: www.world.test
                ports: [443]
              - host: ntp.world.test
                ports: [123]
                protocol: udp

            """, named: "udp", in: out)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("  not probed (UDP, which a TCP connect cannot test): ntp.world.test udp/123\n"),
                "\(result.stdout)")
        let matrix = try String(contentsOf: out.appendingPathComponent("matrix.md"), encoding: .utf8)
        #expect(matrix.contains("Not probed (UDP, which a TCP connect cannot test):\n\n- ntp.world.test: udp/123\n"),
                "\(matrix)")
    }

    @Test("a range broader than /8 (IPv4) or /16 (IPv6): a warning from check and a finding of the run")
    func broadRange() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let (result, manifest) = try runManifest("""
            manifest: 1
            name: broad
            endpoints:
              - host: www.world.test
                ports: [443]
              - range: 0.0.0.0/0
                name: any
                ports: [53]
                protocol: udp
              - range: 17.0.0.0/8
                ports: [443]

            """, named: "broad", in: out)
        let warning = "range any 0.0.0.0/0 covers all of IPv4, shorter than /8: it is allowed whole on udp/53 and in "
            + "all.txt; make sure the vendor means it"
        let check = try runEgressmap(["manifest", "check", manifest.path])
        #expect(check.status == 0)
        #expect(check.stderr == "egressmap: warning: \(manifest.path):6:5: \(warning)\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let broad = try snapshot(out).findings.filter { $0.kind == "broad-range" }
        #expect(broad.map(\.message) == [warning])
        #expect(broad.first?.severity == "warning")
        let valid = try validateJSON(out.appendingPathComponent("latest.json"), schema: "snapshot")
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
    }

    @Test("the snapshot and allowlist.json validate against their schemas")
    func schemas() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        for (schema, file) in [
            ("snapshot", out.appendingPathComponent("latest.json")),
            ("allowlist", out.appendingPathComponent("allowlist/allowlist.json")),
        ] {
            let check = try validateJSON(file, schema: schema)
            #expect(check.status == 0, "\(schema): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("--quiet prints only problems; --verbose lists every name")
    func quietAndVerbose() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let quiet = try run(out, ["--quiet", "--no-probe"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.contains("problems ("))
        #expect(quiet.stdout.contains("outside-range"))
        #expect(!quiet.stdout.contains("catch-all"), "info findings are not problems")
        #expect(!quiet.stdout.contains("allowlists:"))
        let verbose = try run(out, ["--verbose", "--no-probe"])
        #expect(verbose.status == 0)
        #expect(verbose.stdout.contains("sink.world.test"))
        #expect(verbose.stdout.split(separator: "\n").contains { $0.contains("1-courier.push.apple.com") && $0.contains("17.57.146.1 (covered)") })
        let both = try run(out, ["--verbose", "--quiet"])
        #expect(both.status != 0)
    }

    @Test("--verbose prints when each step began and ended, in the pipeline's order")
    func steps() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(out, ["--verbose", "--no-probe"])
        #expect(result.status == 0, "\(result.stderr)")
        let marker = "steps (ms from the start): "
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains(marker) }, "\(result.stderr)")
        var spans: [String: (start: Double, end: Double)] = [:]
        for item in line.components(separatedBy: marker)[1].components(separatedBy: ", ") {
            let space = try #require(item.lastIndex(of: " "), "\(item)")
            let bounds = item[item.index(after: space)...].split(separator: "–").compactMap { Double($0) }
            try #require(bounds.count == 2, "\(item)")
            #expect(bounds[0] <= bounds[1], "\(item)")
            spans[String(item[..<space])] = (bounds[0], bounds[1])
        }
        let steps = [
            "manifest", "read latest", "options", "expand", "lock", "open history", "resolve", "classify",
            "history", "endpoints", "allowlists", "render", "stage", "snapshot", "publish", "prune",
        ]
        #expect(Set(spans.keys) == Set(steps))
        // What must finish before what begins, as the pipeline orders it: a step recorded at the wrong place (or
        // with the wrong clock) shows here. (Whether the pipeline keeps that order under load is for the crash
        // safety tests: in a run this small, the history is done long before anything waits for it.)
        let order = [
            ("manifest", "options"), ("options", "expand"), ("expand", "resolve"), ("resolve", "classify"),
            ("open history", "classify"), ("classify", "history"), ("classify", "snapshot"),
            ("allowlists", "snapshot"), ("endpoints", "snapshot"), ("history", "publish"), ("snapshot", "publish"),
            ("render", "stage"), ("stage", "publish"), ("publish", "prune"),
        ]
        for (before, after) in order {
            let first = try #require(spans[before]), second = try #require(spans[after])
            #expect(first.end <= second.start, "\(before) ends at \(first.end), \(after) begins at \(second.start)")
        }
        #expect(!result.stdout.contains(marker), "the steps go to stderr, not among the names")
    }

    @Test("--allow-special emits the block it names")
    func allowSpecial() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out, ["--allow-special", "10.0.0.0/8"]).status == 0)
        #expect(try lines(out.appendingPathComponent("allowlist/tcp-443.txt")).contains("10.1.2.3/32"))
        #expect(try !lines(out.appendingPathComponent("allowlist/tcp-443.txt")).contains("0.0.0.0/32"))
    }

    @Test("a first run where every lookup fails: the range alone, and a within check with nothing to check")
    func firstRunFails() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runEgressmap([
            "run", "--manifest", Self.manifest, "--server", try TestWorld.deadServer(), "--out", out.path,
            "--var", "tenant=acme", "--timeout", "200ms", "--tries", "1", "--no-probe",
        ])
        #expect(result.status == 4)
        #expect(result.stdout.contains("allowlists this run would publish: 1 prefix in all.txt"))
        // Why, at once, in the verdict: every name timed out at the one server.
        let dead = try TestWorld.deadServer()
        #expect(result.stderr.contains(
            "egressmap: not published: every lookup failed (17 of 17 names: timeout from \(dead): no reply within the "
                + "timeout and tries): nothing published"
        ), "\(result.stderr)")
        #expect(!result.stdout.contains("not published: "))
        // Not "resolved to 0 addresses, all inside": no address is no evidence either way.
        #expect(result.stdout.contains(
            "within apple 17.0.0.0/8: 8 names of 1 endpoint resolved to no address: nothing to check against 17.0.0.0/8"
        ))
        #expect(!result.stdout.contains("all inside"))
    }

    @Test("every lookup failing publishes nothing and exits 4 in seconds")
    func everyLookupFails() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        let before = try lines(out.appendingPathComponent("allowlist/all.txt"))
        let started = Date()
        let result = try runEgressmap([
            "run", "--manifest", Self.manifest, "--server", try TestWorld.deadServer(), "--out", out.path,
            "--var", "tenant=acme", "--timeout", "200ms", "--tries", "1",
        ])
        #expect(result.status == 4)
        #expect(result.stderr.contains("egressmap: not published"))
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try lines(out.appendingPathComponent("allowlist/all.txt")) == before)
        #expect(try snapshot(out).published == false)
    }

    @Test("with no arguments, inside a namespace with only loopback: a clear summary and exit 4, in seconds")
    func noArguments() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = Date()
        let result = try runEgressmap(["run"], directory: folder)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(result.stdout.contains("manifest iru (bundled:iru)"))
        #expect(result.stderr.contains("egressmap: not published: every lookup failed"))
        #expect(result.stdout.contains("--var subdomain="))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output/latest.json").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output/allowlist").path))
    }

    @Test("an output folder that cannot be made: which part is in the way or why, exit 2, nothing written")
    func unusableOutputFolder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("afile")
        try Data("keep\n".utf8).write(to: file)
        let out = file.appendingPathComponent("sub/deeper")
        let expected = "cannot write \(out.path): \(file.path) is a file, not a folder"
        let result = try run(out, ["--no-probe"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep\n")

        // The same for emit's folder.
        let emitted = try runEgressmap(
            ["emit", "--snapshot", FormatFixtures.snapshot.path, "--format", "nft", "--out", out.path]
        )
        #expect(emitted.status == 2)
        #expect(emitted.stderr.contains(expected), "\(emitted.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["afile"])
    }

    @Test("a damaged history, or a file where a folder goes: the file named, exit 2 (not 1, a changed allowlist)")
    func troubleInTheFolder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = folder.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
        let history = damaged.appendingPathComponent("history.sqlite")
        try Data("not a database, not at all\n".utf8).write(to: history)
        let first = try run(damaged, ["--no-probe", "--exit-code"])
        #expect(first.status == 2)
        let unusable = "egressmap: \(history.path): it is not a usable history (SQLite: file is not a database); "
            + "move it away to start a new one"
        #expect(first.stderr == unusable + "; nothing was published\n", "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: damaged.appendingPathComponent("allowlist").path))
        let asked = try runEgressmap(["history", "--out", damaged.path, "www.world.test"])
        #expect(asked.status == 2)
        #expect(asked.stderr == unusable + "\n", "\(asked.stderr)")
        #expect(try String(contentsOf: history, encoding: .utf8) == "not a database, not at all\n")

        // A failure no step reports itself (here the diffs' folder, written last) still exits 2, named.
        let blocked = folder.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        let diffs = blocked.appendingPathComponent("diffs")
        try Data("x\n".utf8).write(to: diffs)
        let second = try run(blocked, ["--no-probe", "--exit-code"])
        #expect(second.status == 2)
        #expect(second.stderr == "egressmap: cannot write \(diffs.path): \(diffs.path) is a file, not a folder\n")
    }

    @Test("30 endpoints: the summary shows 25 rows of the table and of each change list, --verbose all")
    func boundedSummary() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("many.yaml")
        let endpoints = (0..<30).map { String(format: "  - host: n%05d.bulk.test\n    ports: [443]\n", $0) }
        try Data(("manifest: 1\nname: many\nendpoints:\n" + endpoints.joined()).utf8).write(to: manifest)
        func run(_ out: String, _ extra: [String]) throws -> ProcessOutput {
            try runEgressmap(
                ["run", "--manifest", manifest.path, "--server", try TestWorld.resolver(), "--no-probe",
                 "--out", folder.appendingPathComponent(out).path] + extra
            )
        }
        let plain = try run("plain", [])
        #expect(plain.status == 0, "\(plain.stderr)")
        let lines = plain.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  … 5 more endpoints: matrix.md, or --verbose"), "\(plain.stdout)")
        #expect(lines.contains("  … 5 more names: diff.md, or --verbose"), "\(plain.stdout)")
        // 48 addresses of 30 names (README of the world), merged into 26 prefixes: one beyond 25.
        #expect(lines.contains("  … 1 more prefix change: diff.md, or --verbose"), "\(plain.stdout)")
        #expect(lines.filter { $0.hasPrefix("  n000") && $0.contains(".bulk.test: +") }.count == 25)
        #expect(lines.filter { $0.hasPrefix("  n000") && $0.contains(".bulk.test  -/") }.count == 25)  // table rows
        #expect(lines.count < 100, "\(lines.count) lines")

        let verbose = try run("verbose", ["--verbose"])
        #expect(verbose.status == 0, "\(verbose.stderr)")
        #expect(!verbose.stdout.contains(" more "), "\(verbose.stdout)")
        #expect(verbose.stdout.contains("  n00029.bulk.test: +"), "\(verbose.stdout)")
    }

    @Test("48 findings and 48 addresses outside a range: 25 of each, then how many more and where")
    func boundedFindings() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("within.yaml")
        // The 48 addresses of the first 30 bulk names (the world's README) are all outside 17.0.0.0/8.
        let endpoints = (0..<30).map {
            String(format: "  - host: n%05d.bulk.test\n    ports: [443]\n    within: apple\n", $0)
        }
        try Data(("manifest: 1\nname: within\nendpoints:\n  - range: 17.0.0.0/8\n    name: apple\n    ports: [443]\n"
            + endpoints.joined()).utf8).write(to: manifest)
        func run(_ out: String, _ extra: [String]) throws -> [String] {
            let result = try runEgressmap(
                ["run", "--manifest", manifest.path, "--server", try TestWorld.resolver(), "--no-probe",
                 "--out", folder.appendingPathComponent(out).path] + extra
            )
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        let findingLines = { (lines: [String]) in lines.filter { $0.hasPrefix("  ! outside-range    n000") } }
        let outsideLines = { (lines: [String]) in lines.filter { $0.hasPrefix("  ! ") && $0.contains(" via n000") } }

        let plain = try run("plain", [])
        #expect(plain.contains("findings (48, 48 to act on):"), "\(plain)")
        #expect(findingLines(plain).count == 25)
        #expect(plain.contains("  … 23 more findings: latest.json, or --verbose"), "\(plain)")
        #expect(outsideLines(plain).count == 25)
        #expect(plain.contains("  … 23 more addresses outside: matrix.md, or --verbose"), "\(plain)")

        let quiet = try run("quiet", ["--quiet"])
        #expect(quiet.contains("problems (48):"), "\(quiet)")
        #expect(findingLines(quiet).count == 25)
        #expect(quiet.contains("  … 23 more problems: latest.json, or --verbose"), "\(quiet)")

        let verbose = try run("verbose", ["--verbose"])
        #expect(findingLines(verbose).count == 48)
        #expect(outsideLines(verbose).count == 48)
        #expect(!verbose.contains { $0.contains(" more ") }, "\(verbose)")
    }

    @Test("--quiet with nothing to report prints nothing at all (cron mails any output)")
    func quietWhenClean() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("clean.yaml")
        try Data("manifest: 1\nname: clean\nendpoints:\n  - host: dual.world.test\n    ports: [443]\n".utf8)
            .write(to: manifest)
        let result = try runEgressmap([
            "run", "--manifest", manifest.path, "--server", try TestWorld.resolver(), "--no-probe", "--quiet",
            "--out", folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout.debugDescription)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("a list that loses its last prefix, or its port, is published empty, so the firewall's set is emptied")
    func emptiedLists() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let allowlist = out.appendingPathComponent("allowlist")
        func run(_ name: String, _ endpoints: [(host: String, port: Int)]) throws {
            let manifest = folder.appendingPathComponent("\(name).yaml")
            let lines = endpoints.map { "  - host: \($0.host)\n    ports: [\($0.port)]\n" }.joined()
            try Data("manifest: 1\nname: lists\nendpoints:\n\(lines)".utf8).write(to: manifest)
            let result = try runEgressmap([
                "run", "--manifest", manifest.path, "--server", try TestWorld.resolver(), "--no-probe", "--quiet",
                "--out", out.path, "--format", "nft,ipset", "--retain", "0",
            ])
            #expect(result.status == 0, "\(name): \(result.stdout)\(result.stderr)")
        }
        func list(_ service: String) throws -> [String]? {
            let file = allowlist.appendingPathComponent("\(service).txt")
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            return try lines(file)
        }
        func rendered(_ file: String) throws -> String {
            try String(contentsOf: allowlist.appendingPathComponent(file), encoding: .utf8)
        }
        let both = [("dual.world.test", 443), ("v4.world.test", 8443)]
        let lost = [("dual.world.test", 443), ("nxdomain-here.world.test", 8443)]
        let dropped = [("dual.world.test", 443)]

        try run("both", both)
        #expect(try list("tcp-8443") == ["5.188.10.3/32"])
        // Its only name now answers NXDOMAIN (and --retain 0 keeps nothing): the list is there, empty, and the
        // formats replace the set with an empty one.
        try run("lost", lost)
        #expect(try list("tcp-8443") == [])
        #expect(try rendered("allowlist.nft").contains("set lists_v4_tcp8443 {"))
        #expect(try !rendered("allowlist.nft").contains("5.188.10.3"))
        #expect(try rendered("allowlist.ipset").contains("swap egressmap_tmp_"))
        #expect(try rendered("allowlist.ipset").contains("create lists_v4_tcp8443 "))
        #expect(try list("all") == list("tcp-443"))
        // The manifest no longer has the port: it was published empty already, so it goes.
        try run("dropped", dropped)
        #expect(try list("tcp-8443") == nil)

        // A port that leaves the manifest while its list has prefixes: published empty once, then gone.
        try run("both again", both)
        #expect(try list("tcp-8443") == ["5.188.10.3/32"])
        try run("dropped", dropped)
        #expect(try list("tcp-8443") == [])
        #expect(try rendered("allowlist.nft").contains("set lists_v4_tcp8443 {"))
        try run("dropped again", dropped)
        #expect(try list("tcp-8443") == nil)
        #expect(try !rendered("allowlist.nft").contains("tcp8443"))
    }

    @Test("what killed runs left under temporary names is removed by the next run; a live emit's is not")
    func leftovers() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        // A process that has ended: its id names no live process now.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = ended.processIdentifier
        let live = ProcessInfo.processInfo.processIdentifier
        // A run's documents go whatever their pid says (only a run writes them, and this one holds the lock:
        // in a container every run is pid 1); other files only when their writer is gone.
        let left = [
            ".latest.json.tmp-\(dead)-123", "snapshots/.20261130T000000.000Z.json.tmp-\(dead)-9",
            "diffs/.20261130T000000.000Z.md.tmp-\(dead)-1", ".allowlist.tmp-\(dead)", ".diff.md.link-\(dead)",
            ".matrix.md.tmp-\(live)-5", "snapshots/.20261130T000000.000Z.json.tmp-\(live)-2",
            "..unreported.tmp-\(live)-4", ".allowlist.nft.tmp-\(dead)-3",
        ]
        let kept = [".allowlist.nft.tmp-\(live)-5", ".notes.tmp", "snapshots/.keep"]
        for name in left + kept {
            try Data("x".utf8).write(to: out.appendingPathComponent(name))
        }
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        for name in left {
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        for name in kept {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test("a run killed after it published: the next run puts its snapshot and diff in place, and reports a change")
    func killedAfterPublishing() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        func path(_ name: String) -> String { out.appendingPathComponent(name).path }
        let manager = FileManager.default
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        let first = try snapshot(out).runID
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        let second = try snapshot(out).runID
        #expect(try manager.destinationOfSymbolicLink(atPath: path("allowlist")) == "generations/\(second)")
        // The second run as if killed right after its allowlist swap: its documents staged, and the first run's
        // still in place. Under a pid alive now (this process's), as in a container, where every run is pid 1.
        let dead = ProcessInfo.processInfo.processIdentifier
        try Data("\(second)\n".utf8).write(to: out.appendingPathComponent(".unreported"))
        let staged = [
            ("matrix.md", ".matrix.md.tmp-\(dead)-1"), ("latest.json", ".latest.json.tmp-\(dead)-2"),
            ("diff.json", ".diff.json.tmp-\(dead)-3"), ("diff.md", ".diff.md.tmp-\(dead)-4"),
            ("diffs/\(second).json", "diffs/.\(second).json.tmp-\(dead)-5"),
            ("diffs/\(second).md", "diffs/.\(second).md.tmp-\(dead)-6"),
            ("snapshots/\(second).json", "snapshots/.\(second).json.tmp-\(dead)-7"),
        ]
        for (place, temporary) in staged { try manager.moveItem(atPath: path(place), toPath: path(temporary)) }
        try manager.copyItem(atPath: path("snapshots/\(first).json"), toPath: path("latest.json"))
        for suffix in ["json", "md"] {
            try manager.copyItem(atPath: path("diffs/\(first).\(suffix)"), toPath: path("diff.\(suffix)"))
        }
        let result = try run(out, ["--no-probe", "--quiet", "--exit-code"])
        // The same answers: only the run that could not report its change makes this one report it.
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(
            "run \(second) was stopped after it published its allowlists, before its snapshot and diff were all in "
                + "place: they are now"
        ), "\(result.stderr)")
        #expect(result.stderr.contains(
            "run \(second) published its allowlists and no exit status has said so (killed, say): this run reports "
                + "the change"
        ), "\(result.stderr)")
        #expect(!manager.fileExists(atPath: path(".unreported")))
        for (place, temporary) in staged.dropFirst(4) {
            #expect(manager.fileExists(atPath: path(place)), "\(place)")
            #expect(!manager.fileExists(atPath: path(temporary)), "\(temporary)")
        }
        let third = try snapshot(out).runID
        let diff = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("diff.json")))
        #expect((diff as? [String: Any])?["old_run"] as? String == second)
        #expect((diff as? [String: Any])?["new_run"] as? String == third)
        #expect(try SnapshotCoding.decodeSnapshot(
            Data(contentsOf: URL(fileURLWithPath: path("snapshots/\(second).json"))), file: "second"
        ).published)
    }

    @Test("a publication no exit status reported is reported by the next run that publishes, not lost to a refusal")
    func unreportedPublication() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let marker = out.appendingPathComponent(".unreported").path
        #expect(try run(out, ["--no-probe", "--quiet", "--exit-code"]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: marker), "a run that reports its change removes its mark")
        // A run killed after everything was in place (while pruning, say): only its mark is left.
        let killed = try snapshot(out).runID
        try Data("\(killed)\n".utf8).write(to: URL(fileURLWithPath: marker))
        // The next run publishes nothing (every lookup fails): the mark stays for the one after.
        let failing = try runEgressmap([
            "run", "--manifest", Self.manifest, "--server", try TestWorld.deadServer(), "--out", out.path,
            "--var", "tenant=acme", "--timeout", "200ms", "--tries", "1", "--no-probe", "--quiet", "--exit-code",
        ])
        #expect(failing.status == 4)
        #expect(failing.stderr.contains("run \(killed) published its allowlists and no exit status has said so "
            + "(killed, say): this run publishes nothing, so the next one that does reports it"), "\(failing.stderr)")
        #expect(FileManager.default.fileExists(atPath: marker))
        // The same answers as the killed run's: the change is its, reported now, once.
        #expect(try run(out, ["--no-probe", "--quiet", "--exit-code"]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try run(out, ["--no-probe", "--quiet", "--exit-code"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("run.lock").path))
        // The mark of a run killed before its swap, which published nothing: no change to report.
        try Data("20261130T000000.000Z\n".utf8).write(to: URL(fileURLWithPath: marker))
        let after = try run(out, ["--no-probe", "--quiet", "--exit-code"])
        #expect(after.status == 0, "\(after.stderr)")
        // Nothing of egressmap's (under AddressSanitizer, its leak summary follows).
        #expect(!after.stderr.contains("egressmap:"), "\(after.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        // ... unless it carried one not reported before it, still in place: that one is reported.
        let inPlace = try snapshot(out).runID
        try Data("20261130T000000.000Z\n\(inPlace)\n".utf8).write(to: URL(fileURLWithPath: marker))
        #expect(try run(out, ["--no-probe", "--quiet", "--exit-code"]).status == 1)
        // A run without --exit-code reports nothing by its status: its change waits for the next run with it.
        let manual = try runEgressmap([
            "run", "--manifest", Self.manifest, "--server", try TestWorld.resolver(), "--out", out.path,
            "--var", "tenant=acme", "--no-probe", "--quiet", "--allow-special", "10.0.0.0/8",
        ])
        #expect(manual.status == 0)
        #expect(FileManager.default.fileExists(atPath: marker))
        let next = try run(out, ["--no-probe", "--quiet", "--exit-code", "--allow-special", "10.0.0.0/8"])
        #expect(next.status == 1, "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try run(out, ["--no-probe", "--quiet", "--exit-code", "--allow-special", "10.0.0.0/8"]).status == 0)
    }

    @Test("a folder where a document goes: exit 2 naming it, and the allowlists in place stay as they were")
    func folderInTheWay() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        let allowlist = out.appendingPathComponent("allowlist")
        let before = try FileManager.default.destinationOfSymbolicLink(atPath: allowlist.path)
        for name in ["latest.json", "diff.md"] {
            let place = out.appendingPathComponent(name)
            try FileManager.default.removeItem(at: place)
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: false)
            // A run whose allowlists would change: it must not publish them without its documents.
            let result = try run(out, ["--no-probe", "--quiet", "--allow-special", "10.0.0.0/8"])
            #expect(result.status == 2)
            // Prefixes: under a sanitizer, its own report follows.
            #expect(result.stderr.hasPrefix("egressmap: cannot write \(place.path): a folder is in the way\n"),
                    "\(result.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: allowlist.path) == before)
            // Refused before anything was written: no second snapshot, and (below) no second run in the history.
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("snapshots").path)
                .filter { $0.hasSuffix(".json") }.count == 1)
            for folder in [out, out.appendingPathComponent("snapshots"), out.appendingPathComponent("diffs")] {
                // `.unreported` is the first run's mark (it ran without --exit-code), not a staged file.
                let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                    .filter { $0.hasPrefix(".") && $0 != ".unreported" }
                #expect(left.isEmpty, "staged files left in \(folder.path): \(left)")
            }
            try FileManager.default.removeItem(at: place)
        }
        #expect(try run(out, ["--no-probe", "--quiet", "--allow-special", "10.0.0.0/8"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: allowlist.path) != before)
        #expect(try HistoryStore(path: out.appendingPathComponent("history.sqlite").path).runs().count == 2)
    }

    @Test("--round-interval pauses between rounds even past --deadline, which bounds the lookups alone")
    func roundInterval() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let started = ContinuousClock.now
        let result = try run(out, ["--no-probe", "--quiet", "--rounds", "2", "--round-interval", "1.5s",
                                   "--deadline", "1s"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // A lower bound only: the pause is the one thing that takes this long, and nothing can make it shorter.
        #expect(elapsed >= .milliseconds(1500), "the rounds ran back to back: \(elapsed)")
        let names = try snapshot(out).names.filter { $0.name == "www.world.test" }
        #expect(names.count == 1)
        #expect(names.first?.lookups.allSatisfy { $0.rounds == ["ok": 2] } == true, "\(names)")
    }

    @Test("--manifest - reads the manifest from standard input, and the snapshot says so")
    func manifestFromStandardInput() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let text = try String(contentsOfFile: Self.manifest, encoding: .utf8)
        let result = try runEgressmap(
            ["run", "--manifest", "-", "--server", try TestWorld.resolver(), "--out", out.path, "--var", "tenant=acme",
             "--no-probe", "--quiet"], stdin: text
        )
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try snapshot(out).manifest.source == "<stdin>")
        #expect(try snapshot(out).manifest.name == "world")
        let bad = try runEgressmap(["run", "--manifest", "-", "--out", out.path], stdin: "manifest: 2\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("<stdin>:1:"), "\(bad.stderr)")
    }

    @Test("a dead server beside a live one: the names answered, and the dead server a finding of its own")
    func deadServerInUnion() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        // Nothing listens on port 1 of the suite's loopback: every query to it is refused at once.
        let result = try run(out, ["--no-probe", "--server", "127.0.0.1:1"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try snapshot(out).resolvers.profile == "system, servers from --server")
        let failed = try snapshot(out).findings.filter { $0.kind == "server-failed" }
        #expect(failed.count == 1)
        let message = try #require(failed.first?.message)
        #expect(message.hasPrefix("server 127.0.0.1:1 failed "), "\(message)")
        #expect(message.contains("of them: error: the server could not be reached: connection refused"), "\(message)")
        #expect(result.stdout.contains("server-failed"), "\(result.stdout)")
        #expect(!result.stdout.contains("lookup-failed"), "the names were answered: \(result.stdout)")
        let check = try validateJSON(out.appendingPathComponent("latest.json"), schema: "snapshot")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test("a latest.json that is not a snapshot, or gone: a warning, the diff against the run in place, the run done")
    func unreadableLatest() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out, ["--no-probe", "--quiet"]).status == 0)
        let latest = out.appendingPathComponent("latest.json")
        let snapshots = out.appendingPathComponent("snapshots")
        let firstID = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots.path).first)
        let first = snapshots.appendingPathComponent(firstID)
        let kept = try Data(contentsOf: first)
        // Written through, as `jq … > latest.json` would: latest.json is a copy, so the run's snapshot is untouched.
        try overwriteInPlace(latest, with: Data("garbage\n".utf8))
        #expect(try Data(contentsOf: first) == kept)
        let second = try run(out, ["--no-probe", "--quiet"])
        #expect(second.status == 0)
        let firstRun = String(firstID.dropLast(5))
        // Prefixes: under a sanitizer, its own report follows.
        #expect(second.stderr.hasPrefix("egressmap: warning: \(latest.path): not a snapshot: line 1, column 1: found "
            + "'g'; expected an object; this run's diff is against run \(firstRun), whose allowlists are in place\n"),
            "\(second.stderr)")
        let diff = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(diff.hasPrefix("## egressmap: \(firstRun) → "), "\(diff)")
        #expect(diff.contains("no change"), "the same answers: \(diff)")

        // Gone altogether: the same, said so.
        let secondRun = try snapshot(out).runID
        try FileManager.default.removeItem(at: latest)
        let third = try run(out, ["--no-probe", "--quiet"])
        #expect(third.status == 0)
        #expect(third.stderr.hasPrefix("egressmap: warning: \(latest.path) is missing; this run's diff is against run "
            + "\(secondRun), whose allowlists are in place\n"), "\(third.stderr)")
        let again = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(again.hasPrefix("## egressmap: \(secondRun) → ") && again.contains("no change"), "\(again)")
    }

    @Test("a full disk, met by the history or by the snapshot: exit 2, why, and nothing published", arguments: [
        "64k",  // the history's first commit
        "150k",  // the run's commit into the history, or a document it stages meanwhile, whichever comes first
    ])
    func fullDisk(size: String) throws {
        // A tmpfs of `size`, in a mount namespace of the run's own (the suite runs as root in `unshare -n`).
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path
        let command = [
            TestPaths.binary.path, "run", "--manifest", Self.manifest, "--server", try TestWorld.resolver(),
            "--out", out, "--var", "tenant=acme", "--no-probe", "--exit-code",
        ].map { "'\($0)'" }.joined(separator: " ")
        // The tmpfs is gone when `unshare` returns: what was published is looked at inside.
        let script = "mount -t tmpfs -o size=\(size) tmpfs '\(folder.path)' || exit 9; \(command); status=$?; "
            + "if [ -e '\(out)/allowlist' ]; then echo \"$status published\"; else echo \"$status unpublished\"; fi"
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/unshare"), ["-m", "sh", "-c", script])
        #expect(result.stdout.split(separator: "\n").last == "2 unpublished", "\(result.stdout)\(result.stderr)")
        let history = "egressmap: \(out)/history.sqlite: the disk is full (SQLite: database or disk is full); "
            + "nothing was published\n"
        let files = #"(snapshots/\S+\.json|latest\.json|diffs/\S+\.(json|md)|diff\.(json|md)|matrix\.md)"#
        let document = try Regex(#"^egressmap: cannot write \S+/"# + files + #": No space left on device\n$"#)
        #expect(result.stderr == history || result.stderr.contains(document), "\(result.stderr)")
    }

    @Test("bad manifests: exit 2, the position, and an untouched output folder", arguments: [
        ("manifest: 1\nname: x\nendpoints:\n  - host: a.example\n    ports: [0]\n", "5:", "port"),
        ("manifest: 1\nname: x\nendpoints:\n  - host: a.example\n    ports: [443]\n    colour: red\n", "6:5", "colour"),
        ("manifest: 1\nname: x\nendpoints:\n  - range: 10.0.0.1/8\n    ports: [443]\n", "4:", "10.0.0.0/8"),
        ("manifest: 1\nname: x\nendpoints:\n  - host: a.*.example\n    ports: [443]\n", "4:", "wildcard"),
        ("manifest: 1\nname: x\nendpoints:\n  - host: \"{nope}.example\"\n    ports: [443]\n", "4:", "nope"),
        ("manifest: 1\nname: x\nendpoints:\n  - host: a.example\n    ports: [443]\n    within: apple\n", "6:", "apple"),
    ])
    func badManifests(text: String, position: String, phrase: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.yaml")
        try Data(text.utf8).write(to: file)
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep\n".utf8).write(to: out.appendingPathComponent("marker"))
        let result = try runEgressmap([
            "run", "--manifest", file.path, "--server", try TestWorld.resolver(), "--out", out.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yaml:\(position)"), "\(result.stderr)")
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["marker"])
    }
}
