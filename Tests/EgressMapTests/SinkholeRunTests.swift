import Foundation
import Testing
import TestSupport

@testable import Drift

/// Fault case 13 (the fault suite's, through `run`): a server that answers only special-purpose addresses
/// (`0.0.0.0` and `::`, as DNS filters do) makes the name "sinkholed"; nothing of it is emitted.
@Suite("A sinkholing server")
struct SinkholeRunTests {
    @Test("an answer that is all special-purpose addresses is reported as sinkholed by run")
    func sinkholed() throws {
        let folder = try makeTemporaryFolder("egressmap-sinkhole")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("filtered.yaml")
        try Data("manifest: 1\nname: filtered\nendpoints:\n  - host: sinkhole.f.test\n    ports: [443]\n  - host: ok.f.test\n    ports: [443]\n".utf8)
            .write(to: manifest)
        let result = try runEgressmap([
            "run", "--manifest", manifest.path, "--server", try TestWorld.faults(), "--no-probe",
            "--out", folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("sinkholed"))
        let snapshot = try SnapshotCoding.decodeSnapshot(
            try Data(contentsOf: folder.appendingPathComponent("out/latest.json")), file: "latest.json"
        )
        #expect(snapshot.findings.filter { $0.kind == "sinkholed" }.map(\.name) == ["sinkhole.f.test"])
        let special = snapshot.findings.filter { $0.kind == "special-purpose" }.compactMap(\.address).sorted()
        #expect(special == ["0.0.0.0", "::"])
        let sinkhole = try #require(snapshot.names.first { $0.name == "sinkhole.f.test" })
        #expect(sinkhole.addresses.map(\.status) == ["special", "special"])
        // Only ok.f.test's answer (faultd: 5.188.1.1 and 2a05:d014::1) reaches the allowlist.
        let list = try String(contentsOf: folder.appendingPathComponent("out/allowlist/all.txt"), encoding: .utf8)
        #expect(list == "5.188.1.1/32\n2a05:d014::1/128\n")
    }
}
