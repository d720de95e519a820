import Foundation

/// What a child process writes to a pipe, read on a thread of its own from the moment this is made, and handed
/// out in whole lines. The waits poll with `Task.sleep`: a test that blocks holds one of the few threads every
/// test's tasks share, and under `swift test` in parallel (scripts/sanitize.sh) that stalls other tests.
///
/// `@unchecked Sendable`: `state` is read and written only while `lock` is held. An `NSLock`, not a
/// `Synchronization.Mutex`, whose hand-over ThreadSanitizer cannot see on Linux (see the engine's `Locked`).
public final class PipeLines: @unchecked Sendable {
    private let lock = NSLock()
    private var state = (bytes: [UInt8](), lines: 0, ended: false)

    /// Starts reading `handle` to its end.
    public init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData  // empty at the end
                self.lock.withLock {
                    self.state.bytes.append(contentsOf: data)
                    self.state.lines += data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                    if data.isEmpty { self.state.ended = true }
                }
                if data.isEmpty { return }
            }
        }
    }

    /// At least `count` whole lines (every whole line so far), waited for up to `limit`.
    public func awaitLines(_ count: Int, within limit: Duration = .seconds(10)) async throws -> [String] {
        try await poll(within: limit, "\(count) lines") { $0.lines >= count }
    }

    /// Every whole line, once the pipe has ended, waited for up to `limit`.
    public func awaitEnd(within limit: Duration = .seconds(10)) async throws -> [String] {
        try await poll(within: limit, "the end") { $0.ended }
    }

    private func poll(
        within limit: Duration, _ what: String, _ ready: ((bytes: [UInt8], lines: Int, ended: Bool)) -> Bool
    ) async throws -> [String] {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if lock.withLock({ ready(state) }) { return wholeLines() }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw WaitTimedOut(description: "\(what) not there within \(limit); the lines so far: \(wholeLines())")
    }

    private func wholeLines() -> [String] {
        lock.withLock {
            var lines = state.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            lines.removeLast()  // after the last line break: a line not finished yet, or nothing
            return lines.map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

/// A wait in a test that went past its limit.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Waits for `process` to end, polling with `Task.sleep` (see `PipeLines`), up to `limit`.
public func waitForExit(_ process: Process, within limit: Duration = .seconds(10)) async throws {
    let end = ContinuousClock.now + limit
    while process.isRunning && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(5)) }
    if process.isRunning { throw WaitTimedOut(description: "the process still ran after \(limit)") }
    process.waitUntilExit()  // its status, now that it has ended
}
