import Foundation
import IPNet
import Testing
import TestSupport

@testable import Drift

/// A run killed at any moment leaves the published allowlists, the latest snapshot and the history intact,
/// and the next run recovers by itself; one writer at a time; pruning bounds what is kept.
@Suite("Crash safety, the lock and pruning")
struct CrashSafetyTests {
    static let manifest = TestPaths.fixture("run/world.yaml").path

    func arguments(_ out: URL) throws -> [String] {
        ["run", "--manifest", Self.manifest, "--server", try TestWorld.resolver(), "--out", out.path, "--var", "tenant=acme"]
    }

    /// Everything a reader could look at is whole: the allowlist folder, latest.json, the database.
    func checkIntact(_ out: URL) throws {
        let allowlist = out.appendingPathComponent("allowlist")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: allowlist.path) {
            let folder = out.appendingPathComponent(target)
            #expect(FileManager.default.fileExists(atPath: folder.path), "allowlist points at a missing \(target)")
            let all = try String(contentsOf: folder.appendingPathComponent("all.txt"), encoding: .utf8)
            for line in all.split(separator: "\n") { #expect(IPPrefix(String(line)) != nil, "bad line \(line)") }
            #expect(all.hasSuffix("\n"))
            _ = try JSONSerialization.jsonObject(with: try Data(contentsOf: folder.appendingPathComponent("allowlist.json")))
        }
        let latest = out.appendingPathComponent("latest.json")
        if FileManager.default.fileExists(atPath: latest.path) {
            _ = try SnapshotCoding.decodeSnapshot(try Data(contentsOf: latest), file: latest.path)
        }
        let database = out.appendingPathComponent("history.sqlite")
        if FileManager.default.fileExists(atPath: database.path) {
            #expect(try HistoryStore(path: database.path).isIntact())
        }
    }

    @Test("runs killed at random moments, 50 times in a row, leave everything readable")
    func killLoop() throws {
        let out = try makeTemporaryFolder("egressmap-kill")
        defer { try? FileManager.default.removeItem(at: out) }
        var generator = SystemRandomNumberGenerator()
        let arguments = try arguments(out)
        for _ in 0..<50 {
            let process = Process()
            process.executableURL = TestPaths.binary
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try checkIntact(out)
        }
        let final = try runEgressmap(arguments)
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        try checkIntact(out)
        let all = try String(contentsOf: out.appendingPathComponent("allowlist/all.txt"), encoding: .utf8)
        #expect(all.contains("17.0.0.0/8\n"))
    }

    @Test("a second run on the same folder refuses, or waits with --wait")
    func lock() throws {
        let out = try makeTemporaryFolder("egressmap-lock")
        defer { try? FileManager.default.removeItem(at: out) }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [out.appendingPathComponent("run.lock").path, "sleep", "1.5"]
        try holder.run()
        usleep(300_000)
        let refused = try runEgressmap(try arguments(out))
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("another egressmap run holds"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("latest.json").path))
        let waited = try runEgressmap(try arguments(out) + ["--wait"])
        holder.waitUntilExit()
        #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
    }

    @Test("--keep-runs bounds snapshots and history runs")
    func pruning() throws {
        let out = try makeTemporaryFolder("egressmap-prune")
        defer { try? FileManager.default.removeItem(at: out) }
        for _ in 0..<5 {
            #expect(try runEgressmap(try arguments(out) + ["--keep-runs", "3"]).status == 0)
        }
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("snapshots").path)
        #expect(snapshots.count == 3)
        let history = try HistoryStore(path: out.appendingPathComponent("history.sqlite").path)
        #expect(try history.runs().map { "\($0.id).json" }.sorted() == snapshots.sorted())
        let generations = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("generations").path)
        #expect(generations.count == 3)
    }
}
