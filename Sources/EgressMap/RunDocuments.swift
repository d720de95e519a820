import Drift
import Foundation

/// The documents a run writes beside its allowlists, rendered before any of them is written: the snapshot,
/// the diff as JSON and markdown, and `matrix.md`.
struct RunDocuments: Sendable {
    var runID: String
    var snapshot: Data
    var diffJSON: Data
    var diffMarkdown: Data
    var matrix: Data
}

extension OutputFolder {
    /// Writes a run's documents, each replaced atomically, in this order: `matrix.md`; `snapshots/<id>.json`
    /// and `latest.json`; `diffs/<id>.json` and `.md`, and `diff.json` and `diff.md`. `latest.json` and the
    /// `diff.*` files are the run's own files under a second name (a link; the bytes again where the file
    /// system has no links).
    func write(_ documents: RunDocuments) throws {
        try AtomicFile.write(documents.matrix, to: matrix)
        try writeWithLatest(documents.snapshot, snapshots.appendingPathComponent("\(documents.runID).json"), latest)
        try FileManager.default.createDirectory(at: diffs, withIntermediateDirectories: true)
        for (data, suffix) in [(documents.diffJSON, "json"), (documents.diffMarkdown, "md")] {
            try writeWithLatest(
                data, diffs.appendingPathComponent("\(documents.runID).\(suffix)"),
                root.appendingPathComponent("diff.\(suffix)")
            )
        }
    }

    private func writeWithLatest(_ data: Data, _ file: URL, _ latest: URL) throws {
        try AtomicFile.write(data, to: file)
        if !AtomicFile.link(file, to: latest) { try AtomicFile.write(data, to: latest) }
    }
}
