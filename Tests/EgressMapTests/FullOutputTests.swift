import Foundation
import Testing
import TestSupport

/// Standard output or error on a full disk (`/dev/full`): what could not be written is an error (exit 2, said
/// on stderr), never a success, and never a crash.
@Suite("Output that cannot be written")
struct FullOutputTests {
    /// Runs `arguments` with standard output (or error) sent to /dev/full: the status, and what stderr got.
    func full(_ arguments: [String], stream: Int = 1) throws -> (status: String, stderr: String) {
        let command = ([TestPaths.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let script = stream == 1
            ? "\(command) >/dev/full; echo \"status $?\" >&2" : "\(command) 2>/dev/full >/dev/null; echo \"status $?\""
        let result = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
        let text = stream == 1 ? result.stderr : result.stdout
        let status = text.split(separator: "\n").last { $0.hasPrefix("status ") }.map { String($0.dropFirst(7)) }
        return (status ?? "none", result.stderr)
    }

    @Test("standard output: exit 2 and why, for print, the buffered writer and whole documents", arguments: [
        ["cidr", "classify", "1.2.3.4"],
        ["manifest", "expand", "Tests/Fixtures/manifests/good.json", "--var", "sub=a"],
        ["emit", "--snapshot", "Tests/Fixtures/formats/world-snapshot.json", "--format", "nft"],
        ["--help"], ["help", "run"], ["resolve", "-h"],
    ])
    func standardOutput(_ arguments: [String]) throws {
        let (status, stderr) = try full(arguments)
        #expect(status == "2", "\(stderr)")
        #expect(stderr.contains("egressmap: cannot write standard output: No space left on device"), "\(stderr)")
    }

    @Test("resolve --json into a full disk: exit 2, not a truncated success")
    func resolve() throws {
        let (status, stderr) = try full(["resolve", "--server", try TestWorld.resolver(), "--json", "www.world.test"])
        #expect(status == "2", "\(stderr)")
        #expect(stderr.contains("cannot write standard output: No space left on device"), "\(stderr)")
    }

    @Test("standard error full: the command's own status, no crash")
    func standardError() throws {
        #expect(try full(["manifest", "check", "Tests/Fixtures/manifests/bad-ports.yaml"], stream: 2).status == "2")
        #expect(try full(["cidr", "classify", "1.2.3.4"], stream: 2).status == "0")
    }
}
