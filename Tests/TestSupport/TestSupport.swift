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

/// A fresh empty folder under the system's temporary folder.
public func makeTemporaryFolder(_ label: String = "egressmap-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
