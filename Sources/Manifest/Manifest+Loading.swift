import Foundation
import Yams

/// Reading manifests from files, bytes and text, every problem reported with its position.
extension Manifest {
    /// The largest manifest file accepted.
    public static let maxFileSize = 4 << 20

    /// Reads and decodes the manifest at `path`.
    /// - Throws: `ManifestErrors` with every problem, positions relative to `path` as given: a missing file,
    ///   a directory, non-UTF-8 or binary content, YAML syntax, and every schema error at once.
    public init(contentsOf path: String) throws(ManifestErrors) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Self.fileError(path, "no such file", "a manifest file (YAML or JSON)")
        }
        guard !isDirectory.boolValue else {
            throw Self.fileError(path, "a directory", "a manifest file (YAML or JSON)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Self.fileError(path, "a file that cannot be read", "a readable manifest file")
        }
        try self.init(bytes: [UInt8](data), file: path)
    }

    /// Decodes manifest bytes, which must be UTF-8 text (a leading byte-order mark is dropped).
    /// - Parameter file: the name used in error locations.
    public init(bytes: [UInt8], file: String) throws(ManifestErrors) {
        guard bytes.count <= Self.maxFileSize else {
            throw Self.fileError(file, "a file of \(bytes.count) bytes", "at most \(Self.maxFileSize) bytes")
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let nul = body.firstIndex(of: 0) {
            throw ManifestErrors([Self.error(at: nul - body.startIndex, in: body, file: file,
                                             found: "a NUL byte (binary data)", expected: "a UTF-8 text file")])
        }
        if let bad = Self.firstInvalidUTF8(body) {
            let hex = String(body[body.startIndex + bad], radix: 16, uppercase: true)
            throw ManifestErrors([Self.error(at: bad, in: body, file: file,
                                             found: "the byte 0x\(hex), which is not UTF-8",
                                             expected: "a UTF-8 text file")])
        }
        try self.init(yaml: String(decoding: body, as: UTF8.self), file: file)
    }

    /// Decodes manifest text (YAML, or JSON, which is YAML too).
    /// - Parameter file: the name used in error locations.
    public init(yaml text: String, file: String) throws(ManifestErrors) {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw Self.fileError(file, "an empty file", "a manifest: a mapping with manifest: 1, name: and endpoints:")
        }
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch {
            throw ManifestErrors([Self.yamlError(error, file: file)])
        }
        var decoder = ManifestDecoder(file: file)
        // The parser owns the anchors that nodes refer to weakly: keep it alive while walking the tree.
        let manifest = withExtendedLifetime(parser) { root.flatMap { decoder.decode($0) } }
        if let manifest, decoder.errors.isEmpty { self = manifest; return }
        if decoder.errors.isEmpty {
            throw Self.fileError(file, "a document with no content", "a manifest mapping")
        }
        // File order; errors at one position keep the order they were found in.
        let sorted = decoder.errors.enumerated().sorted {
            ($0.element.location, $0.offset) < ($1.element.location, $1.offset)
        }
        throw ManifestErrors(sorted.map(\.element))
    }

    // MARK: - Helpers

    static func fileError(_ file: String, _ found: String, _ expected: String) -> ManifestErrors {
        ManifestErrors([ManifestError(location: SourceLocation(file: file, line: 1, column: 1), found: found,
                                      expected: expected)])
    }

    /// The error at byte `offset` of `bytes`, with its line and column (scalars of the valid text before it).
    static func error(at offset: Int, in bytes: ArraySlice<UInt8>, file: String, found: String,
                      expected: String) -> ManifestError {
        let before = bytes.prefix(offset)
        let line = before.filter { $0 == 0x0A }.count + 1
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
        let column = String(decoding: before[lineStart...], as: UTF8.self).unicodeScalars.count + 1
        return ManifestError(location: SourceLocation(file: file, line: line, column: column), found: found,
                             expected: expected)
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// A Yams error as a manifest error at the position libyaml gave.
    static func yamlError(_ error: any Error, file: String) -> ManifestError {
        func at(_ mark: Mark?, _ found: String) -> ManifestError {
            ManifestError(location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                          found: found, expected: "valid YAML")
        }
        guard let error = error as? YamlError else {
            return ManifestError(location: SourceLocation(file: file, line: 1, column: 1),
                                 found: "unreadable YAML (\(error))", expected: "valid YAML")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
            return at(mark, "YAML syntax error: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\(ManifestDecoder.shorten($0))'" }.joined(separator: ", ")
            return ManifestError(location: SourceLocation(file: file, line: context.mark.line,
                                                          column: context.mark.column),
                                 found: "duplicate key \(keys)", expected: "each key once in a mapping")
        case .reader(let problem, _, _, _):
            return at(nil, "unreadable text: \(problem)")
        default:
            return at(nil, "YAML error: \(error)")
        }
    }
}
