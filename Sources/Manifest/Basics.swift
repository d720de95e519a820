/// A position in a manifest file: `file:line:column`, both 1-based, columns counted in Unicode scalars.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.line, lhs.column) < (rhs.line, rhs.column) }
}

extension String {
    /// Whether some byte of the UTF-8 form satisfies `test`, read from contiguous storage when the string has it
    /// (every string the decoder makes): stepping through `utf8` costs tens of instructions a byte.
    func containsUTF8(where test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? utf8.contains(where: test)
    }
}

/// The transport of an endpoint's ports.
public enum Transport: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case tcp, udp

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A transport and port: `tcp/443`.
public struct Service: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var transport: Transport
    public var port: UInt16

    public init(_ transport: Transport, _ port: UInt16) {
        self.transport = transport
        self.port = port
    }

    public var description: String { "\(transport.rawValue)/\(port)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.transport, lhs.port) < (rhs.transport, rhs.port) }
}

/// The platforms an endpoint serves, as manifests write them in `os:` (lower case).
///
/// `all` means every platform: an endpoint listing it is kept whatever `--os` says. Apple's platforms are
/// separate (`macos`, `ios`, `ipados`, `tvos`, `visionos`, `watchos`) because vendors list them separately.
public enum Platform: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case all, macos, ios, ipados, tvos, visionos, watchos, windows, android, linux

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The accepted spellings, for error messages: `all, macos, ios, …`.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The endpoint a target comes from: its position, what it says (host pattern or range) and where.
public struct EndpointReference: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 0-based position in `endpoints:`.
    public var index: Int
    /// The `host:` pattern as written, or `name prefix` for a range.
    public var label: String
    public var location: SourceLocation

    public init(index: Int, label: String, location: SourceLocation) {
        self.index = index
        self.label = label
        self.location = location
    }

    /// `label (file:line:column)`.
    public var description: String { "\(label) (\(location))" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
}
