import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension OutputFolder {
    /// Removes what runs killed mid-way left: files written under a temporary name and never put in place
    /// (`.latest.json.tmp-<pid>-<n>`, a whole snapshot each) and the symlink or link being swapped in
    /// (`.allowlist.tmp-<pid>`, `.diff.md.link-<pid>`), where no process of that id is alive. Call it holding
    /// the folder's lock; a live process's files (an `emit --out` into this folder) are left to it.
    /// - Returns: how many were removed.
    @discardableResult
    func removeLeftovers() -> Int {
        var removed = 0
        for folder in [root, snapshots, diffs] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names {
                guard let pid = Self.writer(ofTemporary: name), kill(pid, 0) != 0, errno == ESRCH else { continue }
                if unlink(folder.appendingPathComponent(name).path) == 0 { removed += 1 }
            }
        }
        return removed
    }

    /// The process id in a temporary name egressmap gives: `.<name>.tmp-<pid>-<n>`, `.<name>.tmp-<pid>` or
    /// `.<name>.link-<pid>`; nil for any other name.
    static func writer(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix(".") else { return nil }
        for marker in [".tmp-", ".link-"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            let digits = { (part: Substring) in !part.isEmpty && part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
            guard (1...2).contains(parts.count), parts.allSatisfy(digits),
                  let pid = pid_t(parts[0]), pid > 0
            else { continue }
            return pid
        }
        return nil
    }
}
