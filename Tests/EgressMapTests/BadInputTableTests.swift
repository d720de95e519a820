import Foundation
import TestSupport
import Testing

/// Issue 11's table of hostile input, fed to the built binary the way people feed it: manifests pasted from
/// web pages and names typed or copied into `resolve`. Every row must give a clear error at its position and
/// exit 2 with nothing written; the one row of harmless duplicates must pass.
@Suite("Bad input: a clear error at its position, exit 2, nothing written")
struct BadInputTableTests {
    /// What a row puts where the manifest file is expected.
    enum Source: Sendable {
        case text(String)
        case bytes([UInt8])
        case directory
        /// `bad.yaml -> loop.yaml -> bad.yaml`.
        case symlinkLoop
        /// 100 MB of a valid-looking line, written by the test and deleted afterwards.
        case hundredMegabytes
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var source: Source
        /// `line:column` of the error in the manifest.
        var position: String
        /// A phrase of the message.
        var phrase: String
        /// For a host name: the name alone, also given to `egressmap resolve`, and the column it reports.
        var name: String?
        var column: Int?
        var testDescription: String { label }

        init(_ label: String, _ source: Source, _ position: String, _ phrase: String) {
            self.label = label
            self.source = source
            self.position = position
            self.phrase = phrase
        }

        /// A manifest whose one endpoint has host `name` (plain, from column 11 of line 4), and `name` alone
        /// for `resolve`; `column` is where in the name the error is.
        static func host(_ label: String, _ name: String, column: Int, _ phrase: String) -> Row {
            var row = Row(label, .text(manifest("  - host: \(name)\n    ports: [443]\n")), "4:\(10 + column)", phrase)
            row.name = name
            row.column = column
            return row
        }

        /// A manifest with `ports: PORTS` on line 5 (the list starts at column 12).
        static func ports(_ ports: String, column: Int, _ phrase: String) -> Row {
            let text = manifest("  - host: a.example.com\n    ports: \(ports)\n")
            return Row("ports: \(ports)", .text(text), "5:\(column)", phrase)
        }

        /// A manifest with one range endpoint, `range: PREFIX` on line 4 (the prefix starts at column 12).
        static func range(_ prefix: String, column: Int, _ phrase: String) -> Row {
            Row("range: \(prefix)", .text(manifest("  - range: \(prefix)\n    ports: [443]\n")), "4:\(column)", phrase)
        }
    }

    static func manifest(_ endpoints: String) -> String { "manifest: 1\nname: bad\nendpoints:\n" + endpoints }

    /// 300 characters: five labels of 49 and `bbbb….com`; the name is too long from column 254.
    static let longName = String(repeating: String(repeating: "a", count: 49) + ".", count: 5)
        + String(repeating: "b", count: 46) + ".com"

    static let rows: [Row] = [
        Row("an empty file", .text(""), "1:1", "an empty file"),
        Row("blank lines only", .text("\n  \n\t\n"), "1:1", "an empty file"),
        Row("a directory", .directory, "1:1", "a directory"),
        Row("a symlink loop", .symlinkLoop, "1:1", "a symbolic link loop"),
        Row("binary junk (an ELF header)", .bytes([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x3E]),
            "1:8", "a NUL byte (binary data)"),
        Row("binary junk (a PNG header)", .bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "1:1",
            "the byte 0x89, which is not UTF-8"),
        Row("binary junk after a good line", .bytes(Array("manifest: 1\nname: x\n".utf8) + [0xC3, 0x28]), "3:1",
            "the byte 0xC3, which is not UTF-8"),
        Row("a 100 MB manifest", .hundredMegabytes, "1:1", "too large"),
        // libyaml counts U+2028, U+2029 and U+0085 as line breaks; editors, grep and review tools do not, so
        // positions after one must still match the file's lines (found by fuzz/Sources/FuzzManifest).
        Row("a line separator (U+2028) pasted into a description",
            .text("manifest: 1\nname: bad\ndescription: \"from the vendor\u{2028}page\"\nendpoints:\n"
                + "  - host: a.example.com\n    ports: [0]\n"), "6:13", "port 0"),
        // libyaml puts the end of a file without a final newline on a line after the last one.
        Row("a YAML error at the end of a file without a final newline",
            .text("manifest: 1\nname: bad\nendpoints: ["), "3:13", "YAML syntax error"),
        Row("a paragraph separator (U+2029) before a YAML error",
            .text("manifest: 1\nname: bad \u{2029} x\nendpoints: [\n"), "4:1", "YAML syntax error"),
        .host("a name of 300 characters", longName, column: 254, "name of 300 characters"),
        .host("full-width Unicode", "ＥＸＡＭＰＬＥ．ｃｏｍ", column: 1, "non-ASCII character U+FF25"),
        .host("full-width Unicode: the suggestion", "ＥＸＡＭＰＬＥ．ｃｏｍ", column: 1, "did you mean example.com?"),
        .host("a zero-width space", "exa\u{200B}mple.com", column: 4, "non-ASCII character U+200B (invisible)"),
        .host("a zero-width joiner", "example\u{200D}.com", column: 8, "non-ASCII character U+200D (invisible)"),
        .host("a right-to-left override", "\u{202E}moc.elpmaxe", column: 1, "non-ASCII character U+202E (invisible)"),
        .host("a left-to-right mark", "example.com\u{200E}", column: 12, "non-ASCII character U+200E (invisible)"),
        .host("xn-- with nothing after it", "xn--.example.com", column: 1, "invalid punycode label \"xn--\""),
        .host("xn-- of plain ASCII", "xn--abc-.example.com", column: 1, "invalid punycode label"),
        .host("xn-- that does not decode", "www.xn--99999999.example", column: 5, "invalid punycode label"),
        .host("localhost", "localhost", column: 1, "'localhost'"),
        .host("localhost with a trailing dot", "localhost.", column: 1, "'localhost'"),
        .host("a name under localhost", "api.localhost", column: 5, "'localhost'"),
        .host("127.1", "127.1", column: 5, "number-like name \"127.1\""),
        .host("2130706433", "2130706433", column: 1, "number-like name \"2130706433\""),
        .host("0x7f000001", "0x7f000001", column: 1, "number-like name"),
        .ports("[0]", column: 13, "port 0"),
        .ports("[65536]", column: 13, "port 65536"),
        .ports("[-1]", column: 13, "port -1"),
        .ports("[443-80]", column: 13, "bad.yaml:5:13: the string \"443-80\"; expected a port number"),
        .ports("[443, 0]", column: 18, "port 0"),
        .range("10.0.0.0/33", column: 20, "\"10.0.0.0/33\""),
        .range("2001:db8::/129", column: 22, "\"2001:db8::/129\""),
        .range("fe80::1%eth0", column: 19, "\"fe80::1%eth0\""),
        Row("within: fe80::1%eth0",
            .text(manifest("  - host: a.example.com\n    ports: [443]\n    within: [fe80::1%eth0]\n")), "6:21",
            "\"fe80::1%eth0\""),
    ]

    /// Writes `source` as `folder/bad.yaml` and returns its path.
    func materialize(_ source: Source, in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("bad.yaml")
        switch source {
        case .text(let text):
            try Data(text.utf8).write(to: file)
        case .bytes(let bytes):
            try Data(bytes).write(to: file)
        case .directory:
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        case .symlinkLoop:
            let other = folder.appendingPathComponent("loop.yaml")
            try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: other.path)
            try FileManager.default.createSymbolicLink(atPath: other.path, withDestinationPath: file.path)
        case .hundredMegabytes:
            let line = Data("  - host: a.example.com\n    ports: [443]\n".utf8)
            var block = Data(capacity: 1 << 20)
            while block.count + line.count <= 1 << 20 { block.append(line) }
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(Self.manifest("").utf8))
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            for _ in 0..<100 { try handle.write(contentsOf: block) }
        }
        return file.path
    }

    @Test("manifest check, run and resolve: exit 2, the position and the message, nothing written", arguments: rows)
    func row(_ row: Row) throws {
        let folder = try makeTemporaryFolder("egressmap-bad-input")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try materialize(row.source, in: folder)
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try Data("keep\n".utf8).write(to: out.appendingPathComponent("marker"))
        let server = try TestWorld.resolver()

        let commands = [
            ["manifest", "check", path],
            ["run", "--manifest", path, "--server", server, "--out", out.path, "--no-probe"],
        ]
        for arguments in commands {
            let started = ContinuousClock.now
            let result = try runEgressmap(arguments, directory: folder)
            let elapsed = ContinuousClock.now - started
            let command = arguments.prefix(2).joined(separator: " ")
            #expect(result.status == 2, "\(command): status \(result.status)\n\(result.stderr)")
            #expect(result.stderr.contains("\(path):\(row.position): "), "\(command): \(result.stderr)")
            #expect(result.stderr.contains(row.phrase), "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command): \(result.stdout)")
            #expect(elapsed < .seconds(20), "\(command) took \(elapsed)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["marker"])
        #expect(try String(contentsOf: out.appendingPathComponent("marker"), encoding: .utf8) == "keep\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left.allSatisfy { ["bad.yaml", "loop.yaml", "out"].contains($0) }, "written: \(left)")

        guard let name = row.name, let column = row.column else { return }
        let resolved = try runEgressmap(["resolve", "--server", server, name], directory: folder)
        #expect(resolved.status == 2, "resolve: status \(resolved.status)\n\(resolved.stderr)")
        #expect(resolved.stderr.contains("at column \(column) of"), "resolve: \(resolved.stderr)")
        #expect(resolved.stderr.contains(row.phrase), "resolve: \(resolved.stderr)")
        #expect(resolved.stdout.isEmpty, "resolve: \(resolved.stdout)")
    }

    @Test("duplicate endpoints differing in case or a trailing dot: merged into one name, not an error")
    func duplicates() throws {
        let folder = try makeTemporaryFolder("egressmap-bad-input")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("dup.yaml")
        try Data(Self.manifest("""
              - host: dual.world.test
                ports: [443]
              - host: DUAL.World.Test
                ports: [443]
              - host: dual.world.test.
                ports: [5223]

            """).utf8).write(to: file)

        let check = try runEgressmap(["manifest", "check", file.path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("3 host endpoints"), "\(check.stdout)")

        let expand = try runEgressmap(["manifest", "expand", file.path])
        #expect(expand.status == 0, "\(expand.stderr)")
        let lines = expand.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("dual.world.test\t"), "\(expand.stdout)")
        #expect(lines.first?.contains("tcp/443") == true && lines.first?.contains("tcp/5223") == true)

        let out = folder.appendingPathComponent("out")
        let run = try runEgressmap(
            ["run", "--manifest", file.path, "--server", try TestWorld.resolver(), "--out", out.path, "--no-probe"],
            directory: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        let all = try String(contentsOf: out.appendingPathComponent("allowlist/all.txt"), encoding: .utf8)
        #expect(all.contains("5.188.10.1/32") && all.contains("5.188.10.2/32"), "\(all)")
    }
}
