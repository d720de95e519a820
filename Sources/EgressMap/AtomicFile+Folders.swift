import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension AtomicFile {
    /// Creates the folder at `url` and the folders missing above it, as `mkdir -p` does.
    ///
    /// Foundation's `createDirectory` gave "The operation could not be completed. (NSCocoaErrorDomain error
    /// 512.)" for a path through a file; this says which part is in the way, or the system's reason.
    /// - Throws: `WriteError` for `url`, e.g. `cannot write out/x: out is a file, not a folder`.
    public static func makeFolders(_ url: URL) throws(WriteError) {
        let path = url.path
        if let problem = makeFolder(path, for: path) { throw WriteError(path: path, reason: problem) }
    }

    /// Makes `path` a folder on the way to `target`; returns why it could not, or nil.
    private static func makeFolder(_ path: String, for target: String) -> String? {
        if mkdir(path, 0o777) == 0 { return nil }
        var error = errno
        if error == ENOENT || error == ENOTDIR {  // a folder above is missing, or is not one
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, parent != path {
                if let problem = makeFolder(parent, for: target) { return problem }
                if mkdir(path, 0o777) == 0 { return nil }
                error = errno
            }
        }
        if error == EEXIST {
            var info = stat()
            guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
            return info.st_mode & S_IFMT == S_IFDIR ? nil : "\(path) is a file, not a folder"
        }
        let reason = String(cString: strerror(error))
        return path == target ? reason : "cannot create \(path): \(reason)"
    }
}
