import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension OutputFolder {
    /// `.unreported`: written (with the run's id) before a run swaps `allowlist`, removed once its exit status
    /// has said what it did (`Publication.reported()`).
    public var unreportedMarker: URL { root.appendingPathComponent(".unreported") }

    /// The run that published and ended before its exit status said so (killed after the swap, say), from
    /// its mark; nil when every publication was reported. A mark of a run whose allowlists are not the ones
    /// in place (killed between its mark and its swap: it published nothing) is removed. Call it holding the
    /// lock.
    func unreportedRun() -> String? {
        guard let data = FileManager.default.contents(atPath: unreportedMarker.path) else { return nil }
        let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard id == publishedGeneration else {
            unlink(unreportedMarker.path)
            return nil
        }
        return id
    }

    /// Marks `runID`'s publication as not yet reported, synced, before `publish`.
    func markUnreported(_ runID: String) throws(AtomicFile.WriteError) {
        try AtomicFile.write(Data((runID + "\n").utf8), to: unreportedMarker)
    }
}
