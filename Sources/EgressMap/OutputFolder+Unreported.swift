import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension OutputFolder {
    /// `.unreported`: written (with the run's id) before a run swaps `allowlist`, removed by a run with
    /// `--exit-code` as its exit status says what it did (`Publication.reported()`).
    public var unreportedMarker: URL { root.appendingPathComponent(".unreported") }

    /// The publication no exit status has reported yet (a run killed after its swap, or one without
    /// `--exit-code`), from the mark; nil when there is none. The mark lists the run that wrote it and the
    /// one it carried (`markUnreported(_:carrying:)`), and stands while one of them is the run in place; a
    /// mark of runs none of which is in place (killed between the mark and the swap: they published
    /// nothing) is removed. Call it holding the lock.
    func unreportedRun() -> String? {
        // A few lines at most: a larger file is not a mark of egressmap's, and is not read whole.
        guard let handle = FileHandle(forReadingAtPath: unreportedMarker.path) else { return nil }
        let data = (try? handle.read(upToCount: 4096)) ?? Data()
        try? handle.close()
        let ids = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        guard let generation = publishedGeneration, ids.contains(generation) else {
            unlink(unreportedMarker.path)
            return nil
        }
        return generation
    }

    /// Marks `runID`'s publication as not yet reported, synced, before `publish`; with `carried`, the one
    /// not reported before it, so that the mark stands whether or not this run gets to its swap.
    func markUnreported(_ runID: String, carrying carried: String?) throws(AtomicFile.WriteError) {
        let lines = [runID] + (carried.map { [$0] } ?? [])
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: unreportedMarker)
    }
}
