import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension AtomicFile {
    /// Replaces `url` with a second name for the file `existing` (a hard link, renamed into place), so a copy
    /// that must hold the same bytes (`diff.json`, `diff.md`) costs no second write of them; a reader sees
    /// the old file or the new, as with `write`. Neither name is ever written in place afterwards: every
    /// write replaces a file whole, so the two names never part ways.
    /// - Returns: false when the file system cannot link (the caller writes the bytes instead).
    static func link(_ existing: URL, to url: URL) -> Bool {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).link-\(getpid())")
        unlink(temporary.path)
        guard Glibc.link(existing.path, temporary.path) == 0 else { return false }
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            return false
        }
        syncFolder(folder)
        return true
    }
}
