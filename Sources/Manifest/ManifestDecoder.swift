import Hostnames
import IPNet

/// Walks the YAML tree of a manifest, collecting every error with its position instead of stopping.
struct ManifestDecoder {
    static let topKeys = ["manifest", "name", "description", "variables", "endpoints"]
    /// Stops a hostile file (deep nesting, huge lists) from costing more than a manifest ever needs.
    static let nodeBudget = 200_000

    let file: String
    /// libyaml's lines to the file's (see `LineMap`).
    let lines: LineMap
    let tree: YAMLTree
    var errors: [ManifestError] = []
    var nodesLeft = Self.nodeBudget
    /// The names of every range entry, also those with errors, so `within:` does not repeat their errors.
    var rangeNames: Set<String> = []

    init(file: String, lines: LineMap, tree: YAMLTree) {
        self.file = file
        self.lines = lines
        self.tree = tree
    }

    // MARK: - Root

    /// Decodes the root node; nil when any error was recorded.
    mutating func decode(_ root: YAMLTree.ID) -> Manifest? {
        guard let fields = fields(of: root, in: "the manifest", allowed: Self.topKeys,
                                  required: ["manifest", "name", "endpoints"])
        else { return nil }
        if let node = fields["manifest"]?.value { checkVersion(node) }
        let name = fields["name"].flatMap { identifier($0.value, what: "a manifest name") }
        let description = fields["description"].flatMap { text($0.value, what: "a description") }
        let variables = fields["variables"].map { self.variables($0.value) } ?? []
        let endpoints = fields["endpoints"].map { self.endpoints($0.value, variables: variables) } ?? []
        guard errors.isEmpty, let name else { return nil }
        return Manifest(version: 1, name: name, description: description, file: file,
                        variables: variables, endpoints: endpoints)
    }

    private mutating func checkVersion(_ node: YAMLTree.ID) {
        guard let scalar = tree.scalar(node), scalar.style == .plain, scalar.string == "1" else {
            report(node, found: "manifest version \(describe(node))", expected: "manifest: 1")
            return
        }
    }

    private mutating func variables(_ node: YAMLTree.ID) -> [Variable] {
        guard let mapping = expectMapping(node, what: "variables (a mapping of name to {description: …})")
        else { return [] }
        var result: [Variable] = []
        for (key, value) in mapping {
            guard let name = keyName(key) else { continue }
            guard isIdentifier(name, first: "a"..."z", allowHyphen: false) else {
                report(key, found: "variable name '\(name)'",
                       expected: "a lower-case name of letters, digits and '_' that starts with a letter")
                continue
            }
            var description: String?
            if !isNull(value), let fields = fields(of: value, in: "variable '\(name)'", allowed: ["description"],
                                                   required: []) {
                description = fields["description"].flatMap { text($0.value, what: "a description") }
            }
            result.append(Variable(name: name, description: description, location: location(of: key)))
        }
        return result
    }

    private mutating func endpoints(_ node: YAMLTree.ID, variables: [Variable]) -> [Endpoint] {
        guard let sequence = tree.sequence(node), !sequence.isEmpty else {
            report(node, found: describe(node), expected: "endpoints: a non-empty list of host: and range: entries")
            return []
        }
        var result: [Endpoint] = []
        result.reserveCapacity(sequence.count)
        var pending: [(index: Int, node: YAMLTree.ID, name: String)] = []
        let names = variables.map(\.name)
        for (index, item) in sequence.enumerated() {
            if let endpoint = endpoint(item, index: index, variables: names, pendingWithin: &pending) {
                result.append(endpoint)
            }
        }
        resolveWithin(&result, pending: pending)
        return result
    }

    /// Replaces each `within: NAME` by the prefixes of the range called NAME, or reports that none is.
    private mutating func resolveWithin(_ endpoints: inout [Endpoint],
                                        pending: [(index: Int, node: YAMLTree.ID, name: String)]) {
        var ranges: [String: RangeEndpoint] = [:]
        for case .range(let range) in endpoints {
            guard let name = range.name else { continue }
            ranges[name] = ranges[name] ?? range
        }
        for item in pending {
            guard let range = ranges[item.name] else {
                if rangeNames.contains(item.name) { continue }  // the range itself is reported
                let known = ranges.keys.sorted()
                report(item.node, found: "within: '\(item.name)' names no range",
                       expected: known.isEmpty ? "a list of prefixes (no range of this manifest has a name)"
                           : "the name of a range (\(known.joined(separator: ", "))) or a list of prefixes")
                continue
            }
            for position in endpoints.indices {
                guard case .host(var host) = endpoints[position], host.common.index == item.index else { continue }
                host.within = Within(rangeName: item.name, prefixes: [range.prefix])
                endpoints[position] = .host(host)
            }
        }
    }

    // MARK: - Reporting

    mutating func report(_ node: YAMLTree.ID, offset: Int? = nil, found: String, expected: String) {
        errors.append(ManifestError(location: location(of: node, offset: offset), found: found, expected: expected))
    }

    /// The node's position; with `offset`, that many scalars into its text (past a quoted scalar's quote).
    func location(of node: YAMLTree.ID, offset: Int? = nil) -> SourceLocation {
        let mark = tree.mark(node)
        let (line, start) = lines.position(line: mark.line, column: mark.column)
        guard let offset else { return SourceLocation(file: file, line: line, column: start) }
        var column = start + offset
        if let scalar = tree.scalar(node), scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            column += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// `a list`, `a mapping`, `null`, `the number 5`, `the string "abc"`.
    func describe(_ node: YAMLTree.ID) -> String {
        guard let scalar = tree.scalar(node) else { return tree.kind(node) == .mapping ? "a mapping" : "a list" }
        if ScalarKind.isNull(scalar) { return "no value (null)" }
        let shown = Self.shorten(scalar.string)
        switch ScalarKind.of(scalar) {
        case .int, .float: return "the number \(shown)"
        case .bool: return "the boolean \(shown)"
        case .null, .string: return "the string \"\(shown)\""
        }
    }

    /// At most 60 characters, control and format characters escaped so the message is safe to print.
    static func shorten(_ text: String) -> String {
        var result = ""
        for (count, scalar) in text.unicodeScalars.enumerated() {
            if count == 60 {
                result += "…"
                break
            }
            let category = scalar.properties.generalCategory
            if category == .control || category == .format || category == .lineSeparator
                || category == .paragraphSeparator {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    // MARK: - Shapes

    /// Counts a visited node against the budget; false (once reported) when the file is too large.
    mutating func visit(_ node: YAMLTree.ID) -> Bool {
        nodesLeft -= 1
        if nodesLeft == 0 {
            report(node, found: "more than \(Self.nodeBudget) YAML nodes", expected: "a manifest of sensible size")
        }
        return nodesLeft > 0
    }

    func isNull(_ node: YAMLTree.ID) -> Bool { tree.scalar(node).map(ScalarKind.isNull) ?? false }

    /// The node as a mapping, or nil (reported with `what`, which is made only then).
    mutating func expectMapping(_ node: YAMLTree.ID, what: @autoclosure () -> String) -> YAMLTree.Pairs? {
        guard visit(node) else { return nil }
        if let anchor = rejectAnchor(node) { return anchor }
        guard let mapping = tree.mapping(node) else {
            report(node, found: describe(node), expected: what())
            return nil
        }
        return mapping
    }

    /// Reports YAML anchors and aliases (a node shared by reference), which manifests do not use.
    private mutating func rejectAnchor(_ node: YAMLTree.ID) -> YAMLTree.Pairs? {
        guard tree.isAnchored(node) else { return nil }
        report(node, found: "a YAML anchor or alias", expected: "plain values (anchors and aliases are not supported)")
        return YAMLTree.Pairs.empty
    }

    /// A mapping key's text, or nil (reported) when the key is not a plain scalar.
    mutating func keyName(_ key: YAMLTree.ID) -> String? {
        guard let scalar = tree.scalar(key), !ScalarKind.isNull(scalar) else {
            report(key, found: "\(describe(key)) as a key", expected: "a key name")
            return nil
        }
        return scalar.string
    }

    /// The mapping's values by key; unknown keys and missing required keys reported.
    /// - Returns: nil when `node` is not a mapping.
    mutating func fields(of node: YAMLTree.ID, in context: String, allowed: [String],
                         required: [String]) -> Fields? {
        guard let mapping = expectMapping(node, what: "\(context) as a mapping of \(allowed.joined(separator: ", "))")
        else { return nil }
        var result = Fields(names: allowed)
        var suggested: [String] = []
        for (key, value) in mapping {
            guard let name = keyName(key) else { continue }
            guard let position = Fields.position(of: name, in: allowed) else {
                let suggestion = KeySuggestion.closest(to: name, among: allowed)
                if let suggestion { suggested.append(suggestion) }
                report(key, found: "unknown key '\(Self.shorten(name))' in \(context)",
                       expected: "one of \(allowed.joined(separator: ", "))"
                           + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
                continue
            }
            guard visit(value) else { return nil }
            result.found[position] = (key, value)
        }
        // A required key missing where a misspelling of it was just reported is that one mistake, said once.
        for name in required where result[name] == nil && !suggested.contains(name) {
            report(node, found: "\(context) without '\(name):'", expected: "a '\(name):' key")
        }
        return result
    }

    /// A mapping's known keys and their values (the last, for a key given twice with different tags).
    struct Fields {
        let names: [String]
        var found: [(key: YAMLTree.ID, value: YAMLTree.ID)?]

        init(names: [String]) {
            self.names = names
            found = Array(repeating: nil, count: names.count)
        }

        subscript(name: String) -> (key: YAMLTree.ID, value: YAMLTree.ID)? {
            Self.position(of: name, in: names).flatMap { found[$0] }
        }

        /// `names.firstIndex(of: name)`, comparing lengths first: key names mostly differ in length, and
        /// comparing two different strings is the slow path of `==`.
        static func position(of name: String, in names: [String]) -> Int? {
            let length = name.utf8.count
            return names.firstIndex { $0.utf8.count == length && $0 == name }
        }
    }

    // MARK: - Scalars

    /// The text of a scalar value, rejecting null, lists and mappings.
    mutating func text(_ node: YAMLTree.ID, what: String) -> String? {
        guard visit(node) else { return nil }
        if rejectAnchor(node) != nil { return nil }
        guard let scalar = tree.scalar(node), !ScalarKind.isNull(scalar) else {
            report(node, found: describe(node), expected: what)
            return nil
        }
        var text = scalar.string
        if scalar.style == .literal || scalar.style == .folded {
            while text.hasSuffix("\n") { text.removeLast() }
        }
        if Self.mayHaveForbiddenControl(text),
           let bad = text.unicodeScalars.enumerated().first(where: { Self.isForbiddenControl($0.element) }) {
            let hex = String(bad.element.value, radix: 16, uppercase: true)
            report(node, offset: bad.offset,
                   found: "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)",
                   expected: "\(what) on one line, without control characters (tab is allowed)")
            return nil
        }
        return text
    }

    /// C0 controls (but tab), DEL and C1 controls.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// False when `text` has no `isForbiddenControl` scalar, read from its UTF-8 bytes: a C0 control but tab,
    /// DEL, or the lead byte 0xC2 that C1 controls (U+0080–U+009F) start with (true for other U+00xx too).
    static func mayHaveForbiddenControl(_ text: String) -> Bool {
        text.containsUTF8 { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }
    }

    /// A lower-case identifier such as a manifest or range name (`iru`, `apple`, `us-1`).
    mutating func identifier(_ node: YAMLTree.ID, what: String) -> String? {
        guard let text = text(node, what: what) else { return nil }
        guard isIdentifier(text, first: "a"..."z", allowHyphen: true) || isIdentifier(text, first: "0"..."9",
                                                                                      allowHyphen: true)
        else {
            report(node, found: describe(node),
                   expected: "\(what): lower-case letters, digits, '-' and '_', starting with a letter or digit")
            return nil
        }
        return text
    }

    func isIdentifier(_ text: String, first: ClosedRange<Unicode.Scalar>, allowHyphen: Bool) -> Bool {
        guard let head = text.unicodeScalars.first, first.contains(head), text.unicodeScalars.count <= 63 else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || (allowHyphen && $0 == "-")
        }
    }
}
