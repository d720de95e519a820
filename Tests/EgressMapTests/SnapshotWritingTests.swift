import Foundation
import Testing
import TestSupport

@testable import Allowlist
@testable import Drift

/// `PrettyJSONWriter` must write the bytes Foundation's `JSONEncoder` wrote before it (sorted keys, pretty,
/// slashes unescaped): on a real run's documents, and on values built to be awkward (every control
/// character, quotes, backslashes, U+2028, non-ASCII, dictionary keys whose order is easy to get wrong).
@Suite("Snapshot writing")
struct SnapshotWritingTests {
    /// Every C0 control character, then the characters JSON writers treat differently.
    static let hostile: [String] = [
        "", "plain", "quote\"d", "back\\slash\\", "sl/ash", "tab\tnew\nline\rcr", "\u{7F}del",
        String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))),
        "line\u{2028}para\u{2029}", "é漢字🙂", "\u{FEFF}bom", "e\u{301} combining", "\r\n",
    ]

    static let keys: [String: Int] = [
        "b": 1, "B": 2, "_x": 3, "a10": 4, "a9": 5, "é": 6, "": 7, "Z": 8, "ok": 9, "ok_": 10, "\"": 11,
        "a\nb": 12, "\u{1}": 13, "names_ok": 14, "names": 15,
    ]

    static func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try SnapshotCoding.encodeWithFoundation(value), as: UTF8.self)
    }

    static func written(_ value: some PrettyJSONWritable) throws -> String {
        String(decoding: try SnapshotCoding.encode(value), as: UTF8.self)
    }

    /// A snapshot with every member set, each string member a hostile string in turn.
    static func full(_ text: String, double: Double = 33.333333333333336) -> Snapshot {
        let address = AddressRecordSnapshot(
            address: text, type: "A", ttl: UInt32.max, rounds: 3, servers: [text, "127.0.0.1:53"], status: text,
            note: text, emittedFor: [text], source: text, firstSeen: text, lastSeen: text
        )
        let lookup = LookupRecord(
            server: text, type: text, outcome: text, rounds: keys, chain: [ChainLink(name: text, target: text, ttl: 0)],
            ttl: 7, negativeTTL: 900, detail: text
        )
        return Snapshot(
            runID: text, startedAt: text, finishedAt: text, durationMs: -5,
            manifest: ManifestInfo(name: text, source: text, sha256: text,
                                   variables: keys.mapValues { "\(text)\($0)" }.merging([text: text]) { a, _ in a },
                                   region: text, os: text),
            resolvers: ResolverInfo(profile: text, mode: text, servers: [text], timeoutMs: 2000, tries: 2, rounds: 3),
            endpoints: [
                EndpointRecord(index: 0, label: text, kind: "host", location: text, services: [text], purpose: text,
                               region: text, os: [text], prefix: text, names: [text, "b"], skipped: text)
            ],
            names: [
                NameRecord(name: text, role: text, zone: text, endpoints: [0, Int.max, Int.min], services: [text],
                           outcome: text, lookups: [lookup, lookup], addresses: [address])
            ],
            findings: [Finding(kind: text, severity: text, endpoint: 3, name: text, address: text, chain: [text],
                               message: text)],
            counts: Counts(endpoints: 1, names: 2, namesOK: 3, namesFailed: 4, addresses: 5, prefixes: 6),
            allowlists: [AllowlistFile(name: text, service: text, prefixes: [
                AllowlistEntry(prefix: text, endpoints: [text], names: [text], stale: true)
            ])],
            all: [text, text], published: false, publishNote: text,
            policy: Policy(retainMs: Int64.max, staleLimitMs: 0, maxShrinkPercent: double, forced: true),
            reachability: Reachability(
                enabled: true, timeoutMs: 3000, concurrency: 256, retries: 1, durationMs: 12,
                probes: [ProbeRecord(address: text, port: 443, verdict: text, attempts: 2, connectMs: double,
                                     detail: text, endpoints: [1], names: [text])],
                matrix: [MatrixCell(endpoint: 0, label: text, port: 443, total: 2, open: 1, verdicts: keys)],
                rangeChecks: [RangeCheck(endpoint: 0, label: text, prefix: text, hosts: [1, 2], names: 3, addresses: 4,
                                         inside: 5, outside: [OutsideAddress(address: text, name: text, chain: [text])],
                                         ports: [RangePort(port: 443, total: 2, open: nil)])]
            )
        )
    }

    /// The same snapshot with every optional member nil and every list empty.
    static func sparse() -> Snapshot {
        Snapshot(
            runID: "r", startedAt: "s", finishedAt: "f", durationMs: 0,
            manifest: ManifestInfo(name: "n", source: "s", sha256: "h", variables: [:], region: nil, os: nil),
            resolvers: ResolverInfo(profile: "p", mode: "union", servers: [], timeoutMs: 0, tries: 0, rounds: 0),
            endpoints: [EndpointRecord(index: 0, label: "l", kind: "host", location: "x", services: [], purpose: nil,
                                       region: nil, os: [], prefix: nil, names: [], skipped: nil)],
            names: [NameRecord(name: "a", role: "exact", zone: nil, endpoints: [], services: [], outcome: "ok",
                               lookups: [LookupRecord(server: "s", type: "A", outcome: "ok", rounds: [:], chain: [],
                                                      ttl: nil, negativeTTL: nil, detail: nil)],
                               addresses: [AddressRecordSnapshot(address: "a", type: "A", ttl: 0, rounds: 0, servers: [],
                                                                 status: "s", note: nil, emittedFor: [], firstSeen: "f",
                                                                 lastSeen: "l")])],
            findings: [Finding(kind: "k", severity: "info", endpoint: nil, name: nil, address: nil, message: "m")],
            counts: Counts(endpoints: 0, names: 0, namesOK: 0, namesFailed: 0, addresses: 0, prefixes: 0),
            allowlists: [AllowlistFile(name: "a", service: "s", prefixes: [])], all: [], published: true,
            publishNote: nil, policy: Policy(retainMs: 0, staleLimitMs: 0, maxShrinkPercent: 25, forced: false),
            reachability: Reachability(
                enabled: false, timeoutMs: 0, concurrency: 0, retries: 0, durationMs: 0,
                probes: [ProbeRecord(address: "a", port: 1, verdict: "open", attempts: 1, connectMs: nil, detail: nil,
                                     endpoints: [], names: [])],
                matrix: [MatrixCell(endpoint: 0, label: "l", port: 1, total: 0, open: nil, verdicts: [:])],
                rangeChecks: [RangeCheck(endpoint: 0, label: "l", prefix: "p", hosts: [], names: 0, addresses: 0,
                                         inside: 0, outside: [], ports: [])]
            )
        )
    }

    @Test("hostile strings and awkward keys: the bytes of Foundation's encoder", arguments: hostile)
    func hostileSnapshot(_ text: String) throws {
        let snapshot = Self.full(text)
        let expected = try Self.foundation(snapshot)
        #expect(try Self.written(snapshot) == expected)
        // The reference itself did escape: a raw control character would make the file unreadable.
        #expect(!expected.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test("nil members left out, empty lists and objects, no reachability")
    func sparseSnapshot() throws {
        var snapshot = Self.sparse()
        #expect(try Self.written(snapshot) == Self.foundation(snapshot))
        #expect(try Self.written(snapshot).contains("\"verdicts\" : {\n\n"))
        snapshot.reachability = nil
        snapshot.endpoints = []
        #expect(try Self.written(snapshot) == Self.foundation(snapshot))
        #expect(try !Self.written(snapshot).contains("reachability"))
    }

    @Test("a snapshot handed over in pieces as it is written: the bytes of Foundation's encoder", arguments: hostile)
    func handedOverInPieces(_ text: String) throws {
        for var snapshot in [Self.full(text), Self.sparse()] {
            for names in [snapshot.names, [], Array(repeating: snapshot.names.first, count: 3).compactMap { $0 }] {
                snapshot.names = names
                for pieceBytes in [1, 64, 1 << 20] {
                    var pieces: [[UInt8]] = []
                    let took = try SnapshotCoding.encode(snapshot, handingOverEvery: pieceBytes) { piece in
                        pieces.append(Array(piece))
                        return true
                    }
                    #expect(took)
                    #expect(String(decoding: pieces.joined(), as: UTF8.self) == (try Self.foundation(snapshot)))
                    // Handed over while it was written, not only at the end.
                    if pieceBytes == 1 { #expect(pieces.count > 2) }
                }
            }
        }
    }

    @Test("a piece refused: nothing more is handed over, and the writer says so")
    func refusedPiece() throws {
        var pieces = 0
        let took = try SnapshotCoding.encode(Self.full("x"), handingOverEvery: 1) { _ in
            pieces += 1
            return false
        }
        #expect(!took)
        #expect(pieces == 1)
    }

    @Test("numbers as Foundation writes them", arguments: [
        25, 0.5, 0, -0.0, 100, 1e-7, 0.1 + 0.2, 12.345, 1e16, 1e21, 123456789.125, .leastNonzeroMagnitude,
        .greatestFiniteMagnitude, -3,
    ])
    func doubles(_ value: Double) throws {
        let snapshot = Self.full("x", double: value)
        #expect(try Self.written(snapshot) == Self.foundation(snapshot))
    }

    @Test("NaN and infinity are refused, as Foundation refuses them", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(_ value: Double) throws {
        #expect(throws: NonFiniteNumber.self) { try SnapshotCoding.encode(Self.full("x", double: value)) }
        #expect(throws: EncodingError.self) { try SnapshotCoding.encodeWithFoundation(Self.full("x", double: value)) }
    }

    @Test("diffs: added, removed, changed names, outcomes, chains and probes", arguments: hostile)
    func diff(_ text: String) throws {
        var old = Self.full(text)
        old.names.append(NameRecord(name: "gone", role: "exact", zone: nil, endpoints: [0], services: [], outcome: "ok",
                                    lookups: [], addresses: []))
        var chained = old.names[0]
        chained.name = "chained"
        chained.outcome = "ok"
        old.names.append(chained)
        var new = Self.full(text + "2")
        new.names[0].name = old.names[0].name
        new.names[0].outcome = "timeout"
        chained.lookups[0].chain = [ChainLink(name: text, target: "other\(text)", ttl: 1)]
        new.names.append(chained)
        new.reachability?.probes[0].address = old.reachability!.probes[0].address
        new.reachability?.probes[0].verdict = "refused"
        for diff in [SnapshotDiff(old: old, new: new), SnapshotDiff(old: nil, new: new), SnapshotDiff(old: new, new: new),
                     SnapshotDiff(old: Self.sparse(), new: Self.sparse())] {
            #expect(try Self.written(diff) == Self.foundation(diff))
        }
        let changes = SnapshotDiff(old: old, new: new)
        #expect(changes.names.contains { $0.outcome != nil } && changes.names.contains { $0.chain != nil })
        #expect(changes.names.contains { $0.change == "removed" } && !changes.probes.isEmpty)
    }

    @Test("allowlist.json: the bytes of Foundation's encoder", arguments: hostile)
    func allowlistJSON(_ text: String) throws {
        for snapshot in [Self.full(text), Self.sparse()] {
            let data = try AllowlistDocuments.json(snapshot)
            let document = try JSONDecoder().decode(AllowlistJSON.self, from: data)
            #expect(String(decoding: data, as: UTF8.self) == (try Self.foundation(document)))
        }
    }

    @Test("a real run's snapshot, diff and allowlist.json: the bytes Foundation's encoder gives for them")
    func realRun() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let arguments = ["run", "--manifest", TestPaths.fixture("run/world.yaml").path, "--server",
                         try TestWorld.resolver(), "--out", out.path, "--var", "tenant=acme"]
        for _ in 0..<2 {
            let result = try runEgressmap(arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let snapshotData = try Data(contentsOf: out.appendingPathComponent("latest.json"))
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: snapshotData)
        #expect(!snapshot.names.isEmpty && !snapshot.findings.isEmpty)
        #expect(String(decoding: snapshotData, as: UTF8.self) == (try Self.foundation(snapshot)))

        let diffData = try Data(contentsOf: out.appendingPathComponent("diff.json"))
        let diff = try JSONDecoder().decode(SnapshotDiff.self, from: diffData)
        #expect(diff.oldRun != nil)
        #expect(String(decoding: diffData, as: UTF8.self) == (try Self.foundation(diff)))

        // latest.json and diff.* hold the newest run's bytes; the older run's files stay its own.
        let runs = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("snapshots").path).sorted()
        #expect(runs.count == 2)
        let newest = try Data(contentsOf: out.appendingPathComponent("snapshots/\(runs[1])"))
        let older = try JSONDecoder().decode(
            Snapshot.self, from: try Data(contentsOf: out.appendingPathComponent("snapshots/\(runs[0])"))
        )
        #expect(newest == snapshotData)
        #expect(older.runID == diff.oldRun && older.runID != snapshot.runID)
        #expect(try Data(contentsOf: out.appendingPathComponent("diffs/\(snapshot.runID).json")) == diffData)
        #expect(try Data(contentsOf: out.appendingPathComponent("diffs/\(snapshot.runID).md"))
            == Data(contentsOf: out.appendingPathComponent("diff.md")))

        let listData = try Data(contentsOf: out.appendingPathComponent("allowlist/allowlist.json"))
        let list = try JSONDecoder().decode(AllowlistJSON.self, from: listData)
        #expect(!list.files.isEmpty)
        #expect(String(decoding: listData, as: UTF8.self) == (try Self.foundation(list)))
    }
}
