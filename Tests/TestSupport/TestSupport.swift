import Foundation

/// Where things are when the tests run: the package, its fixtures and the built `egressmap` binary.
public enum TestPaths {
    /// The package's root folder, found from this file's own path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `Tests/Fixtures/<name>` in the package.
    public static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// The `egressmap` executable built beside the running test bundle (any `--scratch-path` works).
    public static var binary: URL {
        let testBundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBundle.deletingLastPathComponent().appendingPathComponent("egressmap")
    }
}

/// The test world started by `scripts/test.sh`: real DNS servers on loopback ports chosen at start.
///
/// A test that needs the world and does not find it fails with a sentence saying how to start it;
/// it is never skipped.
public enum TestWorld {
    public struct NotRunning: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: the test world is not running. Run the suite with scripts/test.sh."
        }
    }

    /// The recursive resolver (unbound) in front of the authoritative zones: `127.0.0.1:PORT`.
    public static func resolver() throws -> String { try value("EGRESSMAP_TEST_DNS") }

    /// The authoritative server (knot) itself: `127.0.0.1:PORT`.
    public static func authoritative() throws -> String { try value("EGRESSMAP_TEST_AUTH") }

    /// The scripted fault responder: `127.0.0.1:PORT`.
    public static func faults() throws -> String { try value("EGRESSMAP_TEST_FAULTS") }

    /// A loopback address:port on which nothing listens (for dead-server cases).
    public static func deadServer() throws -> String { try value("EGRESSMAP_TEST_DEAD") }

    public static func value(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw NotRunning(variable: variable)
        }
        return value
    }
}

/// What a finished process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built `egressmap` with `arguments`, feeding `stdin`, and waits for it to end.
///
/// - Parameters:
///   - arguments: the command line after the program name.
///   - stdin: bytes for standard input; empty closes it at once.
///   - environment: extra variables, laid over the test process's own.
///   - directory: the working folder; the package root when nil.
public func runEgressmap(
    _ arguments: [String],
    stdin: String = "",
    environment: [String: String] = [:],
    directory: URL? = nil
) throws -> ProcessOutput {
    try runProcess(TestPaths.binary, arguments, stdin: stdin, environment: environment, directory: directory)
}

/// Runs `executable` with `arguments` and waits for it; output is collected through temporary files so a
/// large output cannot fill a pipe and stall the child.
public func runProcess(
    _ executable: URL,
    _ arguments: [String],
    stdin: String = "",
    environment: [String: String] = [:],
    directory: URL? = nil
) throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("egressmap-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let inURL = scratch.appendingPathComponent("stdin")
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    try Data(stdin.utf8).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = directory ?? TestPaths.packageRoot
    process.standardInput = try FileHandle(forReadingFrom: inURL)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    )
}

/// Writes `data` into the file at `url` in place, as a shell's `> file` does: the same file (inode),
/// truncated and written, not a new file renamed over it. Whatever else names that file sees the change.
public func overwriteInPlace(_ url: URL, with data: Data = Data()) throws {
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: data)
}

/// A fresh empty folder under the system's temporary folder.
public func makeTemporaryFolder(_ label: String = "egressmap-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Changes the test world between runs, as real zones change: dynamic updates to knot (`knsupdate`), and a
/// zone turned lame or back through unbound's control socket. Only `hist.test` and `lame.test` accept this.
public enum WorldControl {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends `update` lines (`add a.hist.test 0 A 5.9.0.1`, `delete a.hist.test A`) to knot for `zone`.
    public static func update(zone: String, _ lines: [String]) throws {
        let authority = try TestWorld.authoritative()
        let port = authority.split(separator: ":").last.map(String.init) ?? "53"
        let script = (["server 127.0.0.1 \(port)", "zone \(zone)"] + lines.map { "update \($0)" } + ["send", ""])
            .joined(separator: "\n")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/knsupdate"), [], stdin: script)
        guard result.status == 0 else { throw Failed(description: "knsupdate: \(result.stderr)") }
    }

    /// Points unbound's stub for `zone` at the fault responder (which refuses it: unbound says SERVFAIL), or
    /// back at knot, and flushes what unbound remembers of it.
    public static func setLame(_ zone: String, _ lame: Bool) throws {
        let conf = try TestWorld.value("EGRESSMAP_TEST_UNBOUND_CONF")
        let target = lame ? try TestWorld.faults() : try TestWorld.authoritative()
        let address = target.replacingOccurrences(of: ":", with: "@")
        for arguments in [
            ["stub_add", zone, address], ["flush_zone", zone], ["flush_infra", "all"], ["flush_negative"],
            ["flush_bogus"],
        ] {
            let result = try runProcess(URL(fileURLWithPath: "/usr/sbin/unbound-control"), ["-c", conf] + arguments)
            guard result.status == 0 else {
                throw Failed(description: "unbound-control \(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)")
            }
        }
    }
}

/// Validates `file` against `Schemas/<schema>.schema.json` with `scripts/validate-json.py` (JSON Lines when
/// `lines`); the output says which document broke which rule.
public func validateJSON(_ file: URL, schema: String, lines: Bool = false) throws -> ProcessOutput {
    try runProcess(
        URL(fileURLWithPath: "/usr/bin/env"),
        [
            "python3", TestPaths.packageRoot.appendingPathComponent("scripts/validate-json.py").path,
            TestPaths.packageRoot.appendingPathComponent("Schemas/\(schema).schema.json").path, file.path,
        ] + (lines ? ["--lines"] : [])
    )
}
