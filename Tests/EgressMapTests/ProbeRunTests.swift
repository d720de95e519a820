import Foundation
import Testing
import TestSupport

@testable import Drift

/// `egressmap run` probing names of the test world's `probe.test` zone, which resolve to loopback addresses:
/// listeners and bound-only ports opened here, 127.0.0.77 dropped and 127.0.0.99 rejected by nft inside the
/// suite's namespace. Every expected value below comes from the zone file and the sockets opened here.
@Suite("egressmap run: reachability", .serialized)
struct ProbeRunTests {
    /// The three ports of the manifest, chosen free at start, and the sockets that hold them.
    struct Ports {
        var a: UInt16
        var b: UInt16
        var c: UInt16
        var sockets: [LoopbackSocket]
    }

    /// Listening: a on .21 .23 .33 .34 [::1] 127.0.1.35; b on .21 .33; c on .33. Every other pair the run
    /// probes is held bound without listening, so it is refused and nothing else can take it.
    func openPorts() throws -> Ports {
        var lastError: (any Error)?
        for _ in 0..<5 {
            do {
                let first = try LoopbackSocket("127.0.0.21")
                let second = try LoopbackSocket("127.0.0.33")
                let third = try LoopbackSocket("127.0.0.33")
                let (a, b, c) = (first.port, second.port, third.port)
                var sockets = [first, second, third]
                for address in ["127.0.0.23", "::1", "127.0.0.33", "127.0.0.34", "127.0.1.35"] {
                    sockets.append(try LoopbackSocket(address, port: a))
                }
                sockets.append(try LoopbackSocket("127.0.0.21", port: b))
                for (address, port) in [
                    ("127.0.0.22", a), ("127.0.0.22", b), ("::1", b), ("127.0.0.34", b), ("127.0.0.34", c),
                    ("127.0.1.35", b),
                ] {
                    sockets.append(try LoopbackSocket(address, port: port, listening: false))
                }
                return Ports(a: a, b: b, c: c, sockets: sockets)
            } catch {
                lastError = error  // a port taken on one of the addresses meanwhile: choose again
            }
        }
        throw lastError!
    }

    func manifest(_ ports: Ports, in folder: URL) throws -> String {
        let text = """
            manifest: 1
            name: probes
            endpoints:
              - host: web.probe.test
                ports: [\(ports.a), \(ports.b)]
              - host: api.probe.test
                ports: [\(ports.a)]
              - host: dropped.probe.test
                ports: [\(ports.a)]
              - host: rejected.probe.test
                ports: [\(ports.a)]
              - range: 127.0.0.32/28
                name: fruit
                ports: [\(ports.a), \(ports.b), \(ports.c)]
              - host: "{1..3}-courier.probe.test"
                ports: [\(ports.a), \(ports.b)]
                within: fruit

            """
        let file = folder.appendingPathComponent("probes.yaml")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    static let allowLoopback = ["--allow-special", "127.0.0.0/8", "--allow-special", "::1/128"]

    func run(_ manifest: String, _ out: URL, _ extra: [String]) throws -> ProcessOutput {
        try runEgressmap([
            "run", "--manifest", manifest, "--server", try TestWorld.resolver(), "--out", out.path,
            "--probe-timeout", "300ms",
        ] + extra)
    }

    func snapshot(_ out: URL) throws -> Snapshot {
        try SnapshotCoding.decodeSnapshot(try Data(contentsOf: out.appendingPathComponent("latest.json")), file: "latest.json")
    }

    /// A cell as (endpoint label, port, open, total).
    struct Cell: Hashable, CustomStringConvertible {
        var label: String
        var port: Int
        var open: Int?
        var total: Int
        var description: String { "\(label) tcp/\(port) \(open.map(String.init) ?? "-")/\(total)" }
    }

    func expectedCells(_ p: Ports) -> [Cell] {
        let (a, b, c) = (Int(p.a), Int(p.b), Int(p.c))
        return [
            Cell(label: "web.probe.test", port: a, open: 2, total: 3),  // .21 open, .22 refused, ::1 open
            Cell(label: "web.probe.test", port: b, open: 1, total: 3),  // .21 open, .22 and ::1 refused
            Cell(label: "api.probe.test", port: a, open: 1, total: 1),
            Cell(label: "dropped.probe.test", port: a, open: 0, total: 1),
            Cell(label: "rejected.probe.test", port: a, open: 0, total: 1),
            Cell(label: "fruit 127.0.0.32/28", port: a, open: 2, total: 2),  // .33, .34 (127.0.1.35 is outside)
            Cell(label: "fruit 127.0.0.32/28", port: b, open: 1, total: 2),
            Cell(label: "fruit 127.0.0.32/28", port: c, open: 1, total: 2),
            Cell(label: "{1..3}-courier.probe.test", port: a, open: 3, total: 3),
            Cell(label: "{1..3}-courier.probe.test", port: b, open: 1, total: 3),
        ]
    }

    @Test("every probe verdict, every matrix cell, the within check, the summary and matrix.md")
    func matrix() throws {
        try LoopbackNetwork.prepare()
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let result = try run(try manifest(ports, in: folder), out, Self.allowLoopback)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let reachability = try #require(try snapshot(out).reachability)
        #expect(reachability.enabled)
        #expect(reachability.timeoutMs == 300)
        #expect(reachability.concurrency == 256)
        #expect(reachability.retries == 1)

        // Probes: exactly these pairs (no address of the range was swept), each with its verdict.
        let (a, b, c) = (Int(ports.a), Int(ports.b), Int(ports.c))
        let expected: [String: String] = [
            "127.0.0.21 \(a)": "open", "127.0.0.21 \(b)": "open",
            "127.0.0.22 \(a)": "refused", "127.0.0.22 \(b)": "refused",
            "127.0.0.23 \(a)": "open",
            "127.0.0.33 \(a)": "open", "127.0.0.33 \(b)": "open", "127.0.0.33 \(c)": "open",
            "127.0.0.34 \(a)": "open", "127.0.0.34 \(b)": "refused", "127.0.0.34 \(c)": "refused",
            "127.0.0.77 \(a)": "timeout",
            "127.0.0.99 \(a)": "unreachable",
            "127.0.1.35 \(a)": "open", "127.0.1.35 \(b)": "refused",
            "::1 \(a)": "open", "::1 \(b)": "refused",
        ]
        let probes = reachability.probes
        #expect(Dictionary(probes.map { ("\($0.address) \($0.port)", $0.verdict) }, uniquingKeysWith: { $1 }) == expected)
        #expect(probes.count == 17)
        // Sorted: IPv4 first, by address, then port.
        let order = ["127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.33", "127.0.0.34", "127.0.0.77",
                     "127.0.0.99", "127.0.1.35", "::1"]
        #expect(probes.map(\.address) == order.flatMap { address in
            Array(repeating: address, count: expected.keys.filter { $0.hasPrefix(address + " ") }.count)
        })
        for address in order {
            let portsSeen = probes.filter { $0.address == address }.map(\.port)
            #expect(portsSeen == portsSeen.sorted())
        }
        for probe in probes {
            switch probe.verdict {
            case "open": #expect(probe.connectMs != nil && probe.attempts == 1 && probe.detail == nil)
            case "refused": #expect(probe.detail == "ECONNREFUSED" && probe.attempts == 1)
            case "timeout": #expect(probe.attempts == 2 && probe.connectMs == nil)
            case "unreachable": #expect(probe.detail == "EHOSTUNREACH" && probe.attempts == 1)
            default: Issue.record("unexpected verdict \(probe.verdict)")
            }
        }
        let edge = try #require(probes.first { $0.address == "127.0.1.35" && $0.port == a })
        #expect(edge.names == ["3-courier.probe.test"])
        #expect(edge.endpoints == [5])
        let inside = try #require(probes.first { $0.address == "127.0.0.33" && $0.port == a })
        #expect(inside.endpoints == [4, 5])
        #expect(probes.first { $0.address == "127.0.0.33" && $0.port == c }?.endpoints == [4])

        // The matrix: every cell.
        let cells = reachability.matrix.map { Cell(label: $0.label, port: $0.port, open: $0.open, total: $0.total) }
        // In manifest order of endpoints, then by port.
        let labels = ["web.probe.test", "api.probe.test", "dropped.probe.test", "rejected.probe.test",
                      "fruit 127.0.0.32/28", "{1..3}-courier.probe.test"]
        #expect(cells == expectedCells(ports).sorted {
            (labels.firstIndex(of: $0.label)!, $0.port) < (labels.firstIndex(of: $1.label)!, $1.port)
        })
        #expect(reachability.matrix.first { $0.label == "web.probe.test" && $0.port == b }?.verdicts
            == ["open": 1, "refused": 2])
        #expect(reachability.matrix.first { $0.label == "dropped.probe.test" }?.verdicts == ["timeout": 1])
        #expect(reachability.matrix.first { $0.label == "rejected.probe.test" }?.verdicts == ["unreachable": 1])

        // The within check.
        let check = try #require(reachability.rangeChecks.first)
        #expect(reachability.rangeChecks.count == 1)
        #expect(check.label == "fruit 127.0.0.32/28")
        #expect(check.endpoint == 4)
        #expect(check.hosts == [5])
        #expect(check.names == 3)
        #expect(check.addresses == 3)
        #expect(check.inside == 2)
        #expect(check.outside == [OutsideAddress(
            address: "127.0.1.35", name: "3-courier.probe.test", chain: ["3-courier.probe.test → edge.probe.test"]
        )])
        #expect(check.ports == [RangePort(port: a, total: 2, open: 2), RangePort(port: b, total: 2, open: 1),
                                RangePort(port: c, total: 2, open: 1)].sorted { $0.port < $1.port })

        // The summary's matrix (no colours: not a terminal) and matrix.md, cell for cell.
        let table = expectedTable(ports)
        let summaryRows = result.stdout.split(separator: "\n").map(String.init).filter { line in
            table.keys.contains { line.hasPrefix("  " + $0 + " ") }
        }
        #expect(summaryRows.count == table.count)
        for row in summaryRows {
            let label = table.keys.first { row.hasPrefix("  " + $0 + " ") }!
            #expect(row.dropFirst(2 + label.count).split(separator: " ").map(String.init) == table[label], "\(row)")
        }
        #expect(result.stdout.contains("reachability: 17 TCP probes"))
        #expect(result.stdout.contains("within fruit 127.0.0.32/28: 3 names of 1 endpoint resolved to 3 addresses, "
            + "2 inside 127.0.0.32/28, 1 outside:"))
        #expect(result.stdout.contains("! 127.0.1.35 via 3-courier.probe.test → edge.probe.test"))

        let markdown = try String(contentsOf: out.appendingPathComponent("matrix.md"), encoding: .utf8)
        let sortedPorts = [a, b, c].sorted()
        #expect(markdown.contains("| endpoint | " + sortedPorts.map { "tcp/\($0)" }.joined(separator: " | ") + " |"))
        for (label, cellTexts) in table {
            #expect(markdown.contains("| \(label) | " + cellTexts.joined(separator: " | ") + " |"), "\(label)")
        }
        for port in check.ports {
            #expect(markdown.contains("| tcp/\(port.port) | \(port.open!)/\(port.total) |"))
        }
        #expect(markdown.contains("- 3 names of 1 endpoint with `within` resolved to 3 addresses: 2 inside 127.0.0.32/28, "
            + "1 outside."), "\(markdown)")
        #expect(markdown.contains("- outside: `127.0.1.35` from 3-courier.probe.test (3-courier.probe.test → edge.probe.test)"))
    }

    /// The matrix as rows of cell texts in ascending port order: open/total, or — where the endpoint has no
    /// such port.
    func expectedTable(_ ports: Ports) -> [String: [String]] {
        let sortedPorts = [Int(ports.a), Int(ports.b), Int(ports.c)].sorted()
        var table: [String: [String]] = [:]
        for cell in expectedCells(ports) where table[cell.label] == nil {
            table[cell.label] = sortedPorts.map { port in
                expectedCells(ports).first { $0.label == cell.label && $0.port == port }
                    .map { "\($0.open!)/\($0.total)" } ?? "—"
            }
        }
        return table
    }

    @Test("special-purpose addresses are probed only when --allow-special names their block")
    func specialOnlyWhenAllowed() throws {
        try LoopbackNetwork.prepare()
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try manifest(ports, in: folder)

        let none = folder.appendingPathComponent("none")
        #expect(try run(manifest, none, []).status == 0)
        let bare = try #require(try snapshot(none).reachability)
        #expect(bare.enabled)
        #expect(bare.probes.isEmpty)
        #expect(bare.matrix.allSatisfy { $0.total == 0 && $0.open == 0 })

        let v4Only = folder.appendingPathComponent("v4")
        #expect(try run(manifest, v4Only, ["--allow-special", "127.0.0.0/8"]).status == 0)
        let partial = try #require(try snapshot(v4Only).reachability)
        #expect(!partial.probes.contains { $0.address == "::1" })
        #expect(partial.probes.count == 15)
        let web = partial.matrix.filter { $0.label == "web.probe.test" }
            .map { Cell(label: $0.label, port: $0.port, open: $0.open, total: $0.total) }
        #expect(Set(web) == [Cell(label: "web.probe.test", port: Int(ports.a), open: 1, total: 2),
                             Cell(label: "web.probe.test", port: Int(ports.b), open: 1, total: 2)])
    }

    @Test("--no-probe: nothing probed, the cells count what would be, the within check still answers")
    func noProbe() throws {
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let result = try run(try manifest(ports, in: folder), out, Self.allowLoopback + ["--no-probe"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let reachability = try #require(try snapshot(out).reachability)
        #expect(!reachability.enabled)
        #expect(reachability.probes.isEmpty)
        let cells = Set(reachability.matrix.map { Cell(label: $0.label, port: $0.port, open: $0.open, total: $0.total) })
        #expect(cells == Set(expectedCells(ports).map { Cell(label: $0.label, port: $0.port, open: nil, total: $0.total) }))
        let check = try #require(reachability.rangeChecks.first)
        #expect((check.addresses, check.inside, check.outside.map(\.address)) == (3, 2, ["127.0.1.35"]))
        #expect(check.ports.allSatisfy { $0.open == nil && $0.total == 2 })
        #expect(result.stdout.contains("reachability: not probed (--no-probe)"))
        let markdown = try String(contentsOf: out.appendingPathComponent("matrix.md"), encoding: .utf8)
        #expect(markdown.contains("Probing was off"))
    }

    @Test("--probe-deadline ends the probes still waiting: error, detail deadline, and the summary says so")
    func probeDeadline() throws {
        try LoopbackNetwork.prepare()
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        // 127.0.0.77 drops every packet: with a 10 s timeout its probes are still waiting at the 500 ms deadline.
        let result = try run(
            try manifest(ports, in: folder), out,
            Self.allowLoopback + ["--probe-timeout", "10s", "--probe-deadline", "500ms"]
        )
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let probes = try #require(try snapshot(out).reachability).probes
        let dropped = probes.filter { $0.address == LoopbackNetwork.dropped }
        #expect(dropped.count == 1)
        #expect(dropped.allSatisfy { $0.verdict == "error" && $0.detail == "deadline" }, "\(dropped)")
        #expect(probes.filter { $0.detail == "deadline" }.count == dropped.count)
        #expect(result.stdout.contains(
            "  ! 1 of \(probes.count) probes was not finished when --probe-deadline came (error, detail "
                + "deadline): raise it, or run with --no-probe"
        ), "\(result.stdout)")
        let markdown = try String(contentsOf: out.appendingPathComponent("matrix.md"), encoding: .utf8)
        #expect(markdown.contains("1 of them was not finished when the probe phase's deadline came "
            + "(`--probe-deadline`): it counts as an error, not as closed."), "\(markdown)")
    }

    @Test("on a terminal, the progress line follows the names, then the probes")
    func progressOnTerminal() throws {
        try LoopbackNetwork.prepare()
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let command = ([
            TestPaths.binary.path, "run", "--manifest", try manifest(ports, in: folder), "--server",
            try TestWorld.resolver(), "--out", out.path, "--probe-timeout", "300ms",
        ] + Self.allowLoopback).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        // stderr on a pseudo-terminal (`script`), the summary into a file.
        let summary = folder.appendingPathComponent("summary.txt").path
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", "\(command) > '\(summary)'", "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let probes = try #require(try snapshot(out).reachability).probes.count
        let transcript = result.stdout
        let resolving = try #require(transcript.range(of: "resolving ["), "\(transcript)")
        let probing = try #require(transcript.range(of: "probing ["), "\(transcript)")
        #expect(resolving.lowerBound < probing.lowerBound)
        #expect(transcript.contains("] \(probes)/\(probes)"), "\(transcript)")
    }

    @Test("the snapshot with probes validates against the schema")
    func schema() throws {
        try LoopbackNetwork.prepare()
        let ports = try openPorts()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect(try run(try manifest(ports, in: folder), out, Self.allowLoopback).status == 0)
        let check = try validateJSON(out.appendingPathComponent("latest.json"), schema: "snapshot")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test("bad probe options are usage errors: exit 2, nothing written", arguments: [
        ["--probe-concurrency", "0"], ["--probe-concurrency", "5000"], ["--probe-timeout", "0"],
        ["--probe-timeout", "soon"], ["--probe-deadline", "soon"], ["--probe-deadline", "-1s"],
    ])
    func badOptions(options: [String]) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let result = try runEgressmap([
            "run", "--manifest", TestPaths.fixture("run/world.yaml").path, "--server", "127.0.0.1:9", "--out", out.path,
        ] + options)
        #expect(result.status == 2)
        #expect(result.stderr.contains(options[0]))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
