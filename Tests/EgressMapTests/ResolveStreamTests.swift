import Foundation
import Testing
import TestSupport

/// `egressmap resolve --input -` reading names from a pipe that delivers them one at a time (`tail -f … |`).
@Suite("Resolve a stream of names", .timeLimit(.minutes(2)))
struct ResolveStreamTests {
    /// Runs `process` with its standard input, output and error on pipes of their own.
    static func start(_ process: Process) throws -> (input: Pipe, output: Pipe, errors: Pipe) {
        let (input, output, errors) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (input, output, errors)
    }

    @Test("each name is answered while standard input stays open, and a bad line is reported as it comes")
    func answeredAsTheyCome() async throws {
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-"]
        let (input, output, errors) = try Self.start(process)
        defer { if process.isRunning { process.terminate() } }  // a failed check leaves it waiting for input
        let stdout = PipeLines(output.fileHandleForReading)
        let stderr = PipeLines(errors.fileHandleForReading)

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
        try await waitForExit(process)
        #expect(process.terminationStatus == 2, "a bad line makes the exit status 2, at the end")
        #expect(try await stdout.awaitEnd().count == 2)
        #expect(try await stderr.awaitEnd().last?.contains("1 input line was not a valid name") == true)
    }

    @Test("the reader gone and SIGPIPE ignored (systemd's default): resolve stops at its next write, input still open")
    func readerGone() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // An ignored signal stays ignored across exec.
        process.arguments = ["-c", "trap '' PIPE; exec \"$0\" \"$@\"", TestPaths.binary.path,
                             "resolve", "--server", try TestWorld.resolver(), "--json", "--input", "-"]
        let (input, output, errors) = try Self.start(process)
        defer { if process.isRunning { process.terminate() } }
        let stderr = PipeLines(errors.fileHandleForReading)
        input.fileHandleForWriting.write(Data("www.world.test\n".utf8))
        // The first line read here (no other reader on the pipe, so that it can be closed under none).
        var read = Data()
        while !read.contains(UInt8(ascii: "\n")) {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break }
            read += more
        }
        let first = String(decoding: read, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(try Self.name(try #require(first.first)) == "www.world.test")
        try output.fileHandleForReading.close()  // the reader quits (`| head -1`)
        input.fileHandleForWriting.write(Data("dual.world.test\n".utf8))
        // Standard input stays open: before, resolve read on, asked, and ended only with its input.
        try await waitForExit(process, within: .seconds(30))
        #expect(process.terminationStatus == 2)
        #expect(try await stderr.awaitEnd().contains("egressmap: cannot write standard output: Broken pipe"))
        try input.fileHandleForWriting.close()
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
        let stdout = PipeLines(output.fileHandleForReading)
        input.fileHandleForWriting.write(Data("www.world.test\n".utf8))
        _ = try await stdout.awaitLines(1)
        try await Task.sleep(for: limit * 3 / 2)  // past the deadline of a phase that began with the first name
        input.fileHandleForWriting.write(Data("dual.world.test\n".utf8))
        try input.fileHandleForWriting.close()
        try await waitForExit(process)
        let lines = try await stdout.awaitEnd()
        #expect(process.terminationStatus == 0)
        #expect(lines.count == 2)
        let late = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(late["name"] as? String == "dual.world.test")
        #expect(late["outcome"] as? String == "ok", "\(lines[1])")
    }

    static func name(_ line: String) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["name"] as? String
    }
}
