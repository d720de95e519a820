import Drift
import Foundation

/// The documents a run writes beside its allowlists, ready before any of them is put in place: the snapshot
/// (already written and synced under a temporary name), the diff as JSON and markdown, and `matrix.md`.
struct RunDocuments: Sendable {
    var runID: String
    var snapshot: AtomicFile.Staged
    var diffJSON: Data
    var diffMarkdown: Data
    var matrix: Data
}

extension OutputFolder {
    /// Encodes the snapshot and writes it, synced, under a temporary name beside `snapshots/<id>.json`: a
    /// piece at a time as it is encoded, from one buffer of a quarter of a megabyte (see
    /// `PrettyJSONWriter.init(handingOverEvery:to:)`).
    func stageSnapshot(_ snapshot: Snapshot) throws -> AtomicFile.Staged {
        try AtomicFile.stage(for: snapshots.appendingPathComponent("\(snapshot.runID).json")) { write in
            _ = try SnapshotCoding.encode(snapshot, to: write)  // a refused piece is the staging's failure
        }
    }

    /// Puts a run's documents in place, each atomically, in this order: `matrix.md`; `snapshots/<id>.json`
    /// and `latest.json`; `diffs/<id>.json` and `.md`, and `diff.json` and `diff.md`. `latest.json` and the
    /// `diff.*` files are the run's own files under a second name (a link; a copy where the file system has
    /// no links).
    func write(_ documents: RunDocuments) throws {
        try AtomicFile.write(documents.matrix, to: matrix)
        try documents.snapshot.commit()
        try linkOrCopy(documents.snapshot.destination, to: latest)
        try AtomicFile.makeFolders(diffs)
        for (data, suffix) in [(documents.diffJSON, "json"), (documents.diffMarkdown, "md")] {
            let file = diffs.appendingPathComponent("\(documents.runID).\(suffix)")
            try AtomicFile.write(data, to: file)
            try linkOrCopy(file, to: root.appendingPathComponent("diff.\(suffix)"))
        }
    }

    private func linkOrCopy(_ file: URL, to latest: URL) throws {
        if !AtomicFile.link(file, to: latest) { try AtomicFile.write(try Data(contentsOf: file), to: latest) }
    }
}
