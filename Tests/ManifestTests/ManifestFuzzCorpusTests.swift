import Foundation
import Manifest
import TestSupport
import Testing

/// The manifest decoder over the committed fuzz corpus (`fuzz/corpus/FuzzManifest`), crash inputs included, so
/// what the fuzzer once found stays fixed under `.ci/run`.
@Suite("Manifest decoder over the fuzz corpus")
struct ManifestFuzzCorpusTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("fuzz/corpus/FuzzManifest")

    /// The lines an editor shows: breaks at LF, CR and CRLF.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 1
        for (index, byte) in bytes.enumerated()
        where byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
            count += 1
        }
        return count
    }

    @Test("every input decodes, or fails with positions on the file's own lines")
    func everyInput() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files.contains("iru.yaml") && files.contains { $0.hasPrefix("crash-") })
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(file)))
            do {
                let manifest = try Manifest(bytes: bytes, file: file)
                #expect(!manifest.endpoints.isEmpty, "\(file)")
            } catch {
                for problem in error.errors {
                    #expect(problem.location.line >= 1 && problem.location.column >= 1, "\(problem)")
                    #expect(problem.location.line <= Self.lineCount(bytes), "\(problem)")
                }
            }
        }
    }

    @Test("the first crash input: a YAML error on the last of 87 CR-separated lines, not past the file")
    func carriageReturns() throws {
        let url = Self.folder.appendingPathComponent("crash-ed4d7febf4d7201b3fe15c87641e7a09cfb7188e")
        let bytes = [UInt8](try Data(contentsOf: url))
        do {
            _ = try Manifest(bytes: bytes, file: "crash.yaml")
            Issue.record("the crash input decoded")
        } catch {
            #expect(error.errors.map(\.location.description) == ["crash.yaml:87:1"])
            #expect(error.errors.first?.found.contains("YAML syntax error") == true)
        }
    }
}
