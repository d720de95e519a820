import Foundation
import Testing
import TestSupport

/// `egressmap resolve` writing into a pipe whose reader stops for a while (`resolve … | less`).
@Suite("Resolve into a pipe")
struct ResolvePipeTests {
    @Test("a reader that stops for two seconds holds up the output, not the lookups: their elapsed times stay short")
    func stalledReader() async throws {
        let world = try TestWorld.value("EGRESSMAP_TEST_WORLD")
        let names = try String(contentsOfFile: world + "/bulk-names.txt", encoding: .utf8)
            .split(separator: "\n").prefix(3000)
        let input = try makeTemporaryFolder().appendingPathComponent("names.txt")
        try Data((names.joined(separator: "\n") + "\n").utf8).write(to: input)
        let slowdown = Double(ProcessInfo.processInfo.environment["EGRESSMAP_TEST_SLOWDOWN"] ?? "") ?? 1
        let pause = 2 * max(1, slowdown)

        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["resolve", "--server", try TestWorld.resolver(), "--json", "--input", input.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // 3,000 lines of JSON are about 2 MB: the pipe (64 KiB) is full long before the end, and stays full
        // while this test sleeps (without holding a thread: see `PipeLines`). Were the batch on the loop thread,
        // the loop would wait in `write` with queries on the wire, and their replies would be read (and timed)
        // only after the pause.
        try await Task.sleep(for: .seconds(pause))
        let stalled = process.isRunning
        let texts = try await PipeLines(output.fileHandleForReading).awaitEnd(within: .seconds(60 * max(1, slowdown)))
        try await waitForExit(process)

        #expect(stalled, "resolve ended before the reader came back: the pipe never held it up")
        #expect(process.terminationStatus == 0)
        var lines = 0
        var longest = 0.0
        for text in texts {
            let line = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let lookups = try #require(line["lookups"] as? [[String: Any]])
            for lookup in lookups { longest = max(longest, try #require(lookup["elapsed_ms"] as? Double)) }
            lines += 1
        }
        #expect(lines == names.count)
        #expect(longest < pause * 1000 / 2, "a lookup took \(longest) ms: its reply waited for the reader")
    }
}
