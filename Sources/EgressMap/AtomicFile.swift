import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes files the way a firewall tool must: to a temporary file in the same folder, fsync, then one
/// rename, so a reader (an appliance polling the file) sees the old bytes or the new, never half.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Replaces `url` with `data` atomically, and syncs the folder so the rename survives a crash.
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        try stage(data, for: url).commit()
    }

    /// A file written and synced under a temporary name beside its destination, not yet in place: the slow
    /// part of `write` (a 25 MB snapshot's fsync) done ahead, so that putting it in place is one rename.
    public struct Staged: Sendable {
        public let temporary: URL
        public let destination: URL

        /// Moves it into place with one rename and syncs the folder.
        public func commit() throws(WriteError) {
            guard rename(temporary.path, destination.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw WriteError(path: destination.path, reason: reason)
            }
            syncFolder(destination.deletingLastPathComponent())
        }

        /// Removes it, for a run that stopped before it was due.
        public func discard() { unlink(temporary.path) }
    }

    /// Writes `data` to a new temporary file beside `url` and fsyncs it; `commit()` puts it in place.
    public static func stage(_ data: Data, for url: URL) throws(WriteError) -> Staged {
        try stage([data], for: url)
    }

    /// `stage(_:for:)` of `parts` written one after another.
    public static func stage(_ parts: [Data], for url: URL) throws(WriteError) -> Staged {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        var failure: String? = nil
        for data in parts where failure == nil {
            data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = String(cString: strerror(errno))
                        return
                    }
                    offset += written
                }
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: failure)
        }
        return Staged(temporary: temporary, destination: url)
    }

    /// fsyncs a folder, so renames and new entries in it are on disk.
    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
