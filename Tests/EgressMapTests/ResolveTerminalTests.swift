import Foundation
import Testing
import TestSupport

/// `egressmap resolve` on a terminal, through `script` (util-linux), which runs it on a pseudo-terminal.
@Suite("Resolve on a terminal")
struct ResolveTerminalTests {
    @Test("the progress line is drawn on a terminal's stderr when the answers go to a file, not to a pipe")
    func progressOnlyBesideRedirectedOutput() throws {
        let folder = try makeTemporaryFolder()
        let names = folder.appendingPathComponent("names.txt")
        try Data("www.world.test\ndual.world.test\n".utf8).write(to: names)
        let answers = folder.appendingPathComponent("answers.jsonl")
        let command = [
            TestPaths.binary.path, "resolve", "--input", names.path, "--server", try TestWorld.resolver(), "--json",
        ].map(Self.quoted).joined(separator: " ")

        // Both ends on the terminal: the lines would be drawn over, so there is no progress line.
        let both = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("\"name\":\"www.world.test\""), "\(both.stdout)")
        #expect(!both.stdout.contains("resolved "), "a progress line among the answers: \(both.stdout)")

        // The answers to a file, stderr still the terminal: the progress line is drawn there.
        let redirected = try runProcess(
            URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command + " > " + Self.quoted(answers.path), "/dev/null"]
        )
        #expect(redirected.status == 0, "\(redirected.stderr)")
        // Drawn at the first name (then at most ten times a second), cleared at the end.
        #expect(redirected.stdout.contains("resolved 1 name ("), "no progress line: \(redirected.stdout)")
        #expect(try String(contentsOf: answers, encoding: .utf8).split(separator: "\n").count == 2)

        // The answers into a pipe whose reader writes to the same terminal (`| jq`): no progress line among
        // what the reader prints.
        let piped = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command + " | cat", "/dev/null"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("\"name\":\"dual.world.test\""), "\(piped.stdout)")
        #expect(!piped.stdout.contains("resolved "), "a progress line among the piped answers: \(piped.stdout)")
    }

    /// `text` quoted for `sh -c`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
