import Foundation
import Synchronization
import Testing
import TestSupport

/// `egressmap resolve --input -` reading names from a pipe that delivers them one at a time (`tail -f … |`).
@Suite("Resolve a stream of names", .timeLimit(.minutes(2)))
struct ResolveStreamTests {
    @Test("each name is answered while standard input stays open, and a bad line is reported as it comes")
    func answeredAsTheyCome() async throws {
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }  // a failed check leaves it waiting for input
        let stdout = Collected(output.fileHandleForReading)
        let stderr = Collected(errors.fileHandleForReading)

        input.fileHandleForWriting.write(Data("www.world.test\n".utf8))
        let first = try await stdout.awaitLines(1)
        #expect(try Self.name(first[0]) == "www.world.test")

        input.fileHandleForWriting.write(Data("# a comment\nbad..name\n".utf8))
        let problems = try await stderr.awaitLines(1)
        #expect(problems[0].hasPrefix("-:3: "), "\(problems)")

        input.fileHandleForWriting.write(Data("  dual.world.test\n".utf8))
        let second = try await stdout.awaitLines(2)
        #expect(try Self.name(second[1]) == "dual.world.test")
        #expect(process.isRunning, "resolve ended before its input did")

        try input.fileHandleForWriting.close()
        try await Self.exit(of: process)
        #expect(process.terminationStatus == 2, "a bad line makes the exit status 2, at the end")
        #expect(try await stdout.awaitEnd().count == 2)
        #expect(try await stderr.awaitEnd().last?.contains("1 input line was not a valid name") == true)
    }

    @Test("--deadline bounds each name of a stream from its line, not the whole stream")
    func deadlinePerName() async throws {
        // A second, stretched under a sanitizer (scripts/sanitize.sh), which slows the binary several times.
        let seconds = max(1, Int(ProcessInfo.processInfo.environment["EGRESSMAP_TEST_SLOWDOWN"] ?? "") ?? 1)
        let limit = Duration.seconds(seconds)
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = [
            "resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-", "--deadline", "\(seconds)s",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let stdout = Collected(output.fileHandleForReading)
        input.fileHandleForWriting.write(Data("www.world.test\n".utf8))
        _ = try await stdout.awaitLines(1)
        try await Task.sleep(for: limit * 3 / 2)  // past the deadline of a phase that began with the first name
        input.fileHandleForWriting.write(Data("dual.world.test\n".utf8))
        try input.fileHandleForWriting.close()
        try await Self.exit(of: process)
        let lines = try await stdout.awaitEnd()
        #expect(process.terminationStatus == 0)
        #expect(lines.count == 2)
        let late = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(late["name"] as? String == "dual.world.test")
        #expect(late["outcome"] as? String == "ok", "\(lines[1])")
    }

    /// Waits (up to 10 s) for `process` to end, without holding a thread the tests' tasks share.
    static func exit(of process: Process) async throws {
        let limit = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
        if process.isRunning { throw TimedOut(seen: ["resolve still running"]) }
        process.waitUntilExit()  // its status, now that it has ended
    }

    static func name(_ line: String) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["name"] as? String
    }

    /// What a child writes to a pipe, read on a thread of its own, in whole lines.
    final class Collected: Sendable {
        private let state = Mutex((bytes: [UInt8](), ended: false))

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData  // empty at the end
                    self.state.withLock { state in
                        state.bytes.append(contentsOf: data)
                        if data.isEmpty { state.ended = true }
                    }
                    if data.isEmpty { return }
                }
            }
        }

        private var lines: (lines: [String], ended: Bool) {
            state.withLock { state in
                var lines = state.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                lines.removeLast()  // after the last line break: a line not finished yet, or nothing
                return (lines.map { String(decoding: $0, as: UTF8.self) }, state.ended)
            }
        }

        /// At least `count` whole lines, waited for up to 10 s.
        func awaitLines(_ count: Int) async throws -> [String] {
            try await poll { $0.lines.count >= count ? $0.lines : nil }
        }

        /// Every line, once the pipe has ended (waited for up to 10 s).
        func awaitEnd() async throws -> [String] {
            try await poll { $0.ended ? $0.lines : nil }
        }

        /// Polled with `Task.sleep`: a test that blocks holds one of the few threads every test's tasks share.
        private func poll(_ ready: ((lines: [String], ended: Bool)) -> [String]?) async throws -> [String] {
            let limit = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < limit {
                if let lines = ready(lines) { return lines }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw TimedOut(seen: lines.lines)
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var seen: [String]
        var description: String { "not there within 10 s; the lines so far: \(seen)" }
    }
}
