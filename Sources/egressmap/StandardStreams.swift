import ArgumentParser
import EgressMap
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` and a newline on standard error. A failed write is ignored: there is nowhere left to say it,
/// and the exit status still tells (Foundation's `FileHandle.write(_:)` traps instead).
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes `text` to standard error, ignoring a failure (see `printError`).
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Writes all of `bytes` to standard output.
/// - Throws: `ExitCode(2)` after saying why, when a write fails.
func writeStandardOutput(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            writeStandardError("egressmap: cannot write standard output: \(String(cString: strerror(errno)))\n")
            throw ExitCode(2)
        }
        offset += written
    }
}

/// Why standard output did not get all it was given (`print`'s buffer, flushed now, or an `OutputStream`), or
/// nil when it did.
func standardOutputProblem() -> String? {
    // Every stream C's stdio buffers (`print` writes through stdout's): what a failed write left in a buffer
    // fails again here. (`stdout` itself cannot be named from Swift 6 code: a global C variable.)
    if fflush(nil) != 0 { return String(cString: strerror(errno)) }
    let failure = EgressMap.OutputStream.standardOutputFailure
    return failure == 0 ? nil : String(cString: strerror(failure))
}

/// Ends the process with `status`, or with 2 when standard output did not get all it was given: a listing or
/// a table cut short by a full disk is not a success.
func exitChecked(_ status: Int32) -> Never {
    if let problem = standardOutputProblem() {
        writeStandardError("egressmap: cannot write standard output: \(problem)\n")
        exit(2)
    }
    exit(status)
}
