// libFuzzer target: the manifest decoder (`Manifest(bytes:file:)`: UTF-8 and size checks, YAML through Yams and
// libyaml, the strict schema) and, for what decodes, the expansion into names.
import Hostnames
import Yams

@testable import Manifest

/// Decodes the input as a manifest file; expands what decodes with every variable set; checks the errors.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let lines = lineCount(bytes)
    checkTrees(bytes)
    do {
        let manifest = try Manifest(bytes: bytes, file: "fuzz.yaml")
        precondition(!manifest.endpoints.isEmpty, "a manifest without endpoints decoded")
        let values = Dictionary(manifest.variables.map { ($0.name, "acme") }, uniquingKeysWith: { first, _ in first })
        if let expansion = try? manifest.expand(variables: values) {
            for name in expansion.names {
                precondition((try? DomainName(validating: name.text)) == name, "expansion made an invalid name")
            }
        }
    } catch {
        precondition(!error.errors.isEmpty, "an error without errors")
        for problem in error.errors {
            precondition(problem.location.file == "fuzz.yaml", "an error in another file")
            precondition(problem.location.line >= 1 && problem.location.column >= 1, "position before the start")
            precondition(problem.location.line <= lines, "line past the end: \(problem)")
            precondition(!problem.found.isEmpty && !problem.expected.isEmpty, "an error without words")
        }
    }
    return 0
}

/// The tree built from libyaml's events is the one built from Yams' nodes, wherever the event builder takes the
/// document (the decoder reads whichever it gets).
private func checkTrees(_ bytes: [UInt8]) {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    guard let text = String(validating: body, as: UTF8.self), let events = YAMLTree(events: text) else { return }
    var reference: YAMLTree?
    if let parser = try? Parser(yaml: text, resolver: .basic) {
        withExtendedLifetime(parser) {
            do { reference = YAMLTree(try parser.singleRoot()) } catch { reference = nil }
        }
    }
    precondition(events == reference, "the tree from libyaml's events differs from the tree from Yams' nodes")
}

/// The lines an editor shows: breaks at LF, CR and CRLF (not at U+0085, U+2028, U+2029: see `LineMap`).
private func lineCount(_ bytes: [UInt8]) -> Int {
    var count = 1
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { count += 1 }
    }
    return count
}
