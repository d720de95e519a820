import Foundation
import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading manifests from files, bytes and text, every problem reported with its position.
extension Manifest {
    /// The largest manifest file accepted.
    public static let maxFileSize = 4 << 20

    /// The path that stands for standard input, and the name errors give it.
    public static let standardInput = (path: "-", name: "<stdin>")

    /// The name errors give the manifest at `path`: the path, or `<stdin>` for `-`.
    public static func fileName(_ path: String) -> String {
        path == standardInput.path ? standardInput.name : path
    }

    /// Reads and decodes the manifest at `path` (`-`: standard input).
    /// - Throws: `ManifestErrors` with every problem, positions relative to `path` as given: what `readFile`
    ///   refuses, non-UTF-8 or binary content, YAML syntax, and every schema error at once.
    public init(contentsOf path: String) throws(ManifestErrors) {
        try self.init(bytes: try Self.readFile(path), file: Self.fileName(path))
    }

    /// The bytes of the manifest file at `path` (`-`: standard input), never reading more than one byte past
    /// `maxFileSize`.
    /// - Throws: `ManifestErrors` at `path:1:1` for a missing file, a symbolic link loop, a directory, a file
    ///   that cannot be read, and a file over `maxFileSize` (refused from its size, so a 100 MB paste is not
    ///   read into memory first).
    public static func readFile(_ path: String) throws(ManifestErrors) -> [UInt8] {
        let expected = "a manifest file (YAML or JSON)"
        let fromInput = path == standardInput.path
        let descriptor = fromInput ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        let path = fileName(path)
        guard descriptor >= 0 else {
            let code = errno
            let found = switch code {
            case ENOENT, ENOTDIR: "no such file"
            case ELOOP: "a symbolic link loop"
            case EACCES: "a file that cannot be read (permission denied)"
            default: "a file that cannot be opened (\(String(cString: strerror(code))))"
            }
            throw fileError(path, found, expected)
        }
        defer { if !fromInput { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw fileError(path, "a file that cannot be read", expected) }
        if status.st_mode & S_IFMT == S_IFDIR { throw fileError(path, "a directory", expected) }
        if status.st_mode & S_IFMT == S_IFREG, status.st_size > maxFileSize {
            throw tooLarge(path, "a file of \(status.st_size) bytes")
        }
        // Not trusting the size alone: a device or a pipe has none, and a file may grow while it is read.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count <= maxFileSize {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw fileError(path, "a file that cannot be read (\(String(cString: strerror(code))))", expected)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count > maxFileSize { throw tooLarge(path, "a file of more than \(maxFileSize) bytes") }
        return bytes
    }

    /// Decodes manifest bytes, which must be UTF-8 text (a leading byte-order mark is dropped).
    /// - Parameter file: the name used in error locations.
    public init(bytes: [UInt8], file: String) throws(ManifestErrors) {
        guard bytes.count <= Self.maxFileSize else { throw Self.tooLarge(file, "a file of \(bytes.count) bytes") }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let nul = body.firstIndex(of: 0) {
            throw ManifestErrors([Self.error(at: nul - body.startIndex, in: body, file: file,
                                             found: "a NUL byte (binary data)", expected: "a UTF-8 text file")])
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            let bad = Self.firstInvalidUTF8(body) ?? 0
            let hex = String(body[body.startIndex + bad], radix: 16, uppercase: true)
            throw ManifestErrors([Self.error(at: bad, in: body, file: file,
                                             found: "the byte 0x\(hex), which is not UTF-8",
                                             expected: "a UTF-8 text file")])
        }
        try self.init(yaml: text, file: file)
    }

    /// Decodes manifest text (YAML, or JSON, which is YAML too).
    /// - Parameter file: the name used in error locations.
    public init(yaml text: String, file: String) throws(ManifestErrors) {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw Self.fileError(file, "an empty file", "a manifest: a mapping with manifest: 1, name: and endpoints:")
        }
        let lines = LineMap(text)
        let tree: YAMLTree
        if let built = YAMLTree(events: text) {
            tree = built
        } else if let references = YAMLTree.references(in: text), !references.isEmpty {
            // Each where it is written, once: the decoder sees an alias only as its anchored node, again.
            throw ManifestErrors(references.map {
                let (line, column) = lines.position(line: $0.line, column: $0.column)
                return ManifestError(
                    location: SourceLocation(file: file, line: line, column: column),
                    found: "a YAML \($0.text.hasPrefix("*") ? "alias" : "anchor") (\($0.text))",
                    expected: "plain values (anchors and aliases are not supported)"
                )
            })
        } else {
            do {
                // No implicit tag rules: `ScalarKind` classifies the scalars the decoder asks about.
                let parser = try Parser(yaml: text, resolver: .basic)
                // The parser owns the anchors that nodes refer to weakly: keep it alive while reading the nodes.
                tree = try withExtendedLifetime(parser) { YAMLTree(try parser.singleRoot()) }
            } catch {
                throw ManifestErrors([Self.yamlError(error, file: file, lines: lines)])
            }
        }
        var decoder = ManifestDecoder(file: file, lines: lines, tree: tree)
        let manifest = tree.root.flatMap { decoder.decode($0) }
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

    /// `found` (such as `a file of 104857600 bytes`) is over `maxFileSize`.
    static func tooLarge(_ file: String, _ found: String) -> ManifestErrors {
        fileError(file, "\(found), too large for a manifest", "at most \(maxFileSize) bytes (4 MiB)")
    }

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

    /// A Yams error as a manifest error at the position libyaml gave, in the file's lines (see `LineMap`).
    static func yamlError(_ error: any Error, file: String, lines: LineMap) -> ManifestError {
        func at(_ mark: Mark?, _ found: String, expected: String = "valid YAML") -> ManifestError {
            let (line, column) = lines.position(line: mark?.line ?? 1, column: mark?.column ?? 1)
            return ManifestError(location: SourceLocation(file: file, line: line, column: column), found: found,
                                 expected: expected)
        }
        guard let error = error as? YamlError else {
            return ManifestError(location: SourceLocation(file: file, line: 1, column: 1),
                                 found: "unreadable YAML (\(error))", expected: "valid YAML")
        }
        switch error {
        case .scanner(let context?, _, _, _) where context.text == "while scanning an alias":
            // `host: *.example.com`: the commonest slip in a manifest, which libyaml words for YAML experts.
            return at(context.mark, "a value starting with '*', which YAML reads as an alias",
                      expected: "the value in quotes, such as host: \"*.example.com\"")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) (line \(lines.line($0.mark.line))): " } ?? ""
            return at(mark, "YAML syntax error: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\(ManifestDecoder.shorten($0))'" }.joined(separator: ", ")
            return at(context.mark, "duplicate key \(keys)", expected: "each key once in a mapping")
        case .reader(let problem, _, _, _):
            return at(nil, "unreadable text: \(problem)")
        default:
            return at(nil, "YAML error: \(error)")
        }
    }
}
