/// A YAML document as the manifest decoder reads it: every node in one array, in document order, with what the
/// decoder asks of a node (its kind, a scalar's text, style and tag, its position, whether it has an anchor)
/// and nothing else.
///
/// Built from libyaml's events (`init?(events:)`, the fast way, for the manifests people write) or from the
/// node tree of Yams' `Parser` (`init(_:)`, for everything else: anchors, explicit tags, complex keys, and
/// every YAML error). Both give the same tree for a document the first accepts; `YAMLTreeTests` and the
/// manifest fuzz target check it.
struct YAMLTree: Equatable, Sendable {
    /// A node: its position in `entries`.
    struct ID: Hashable, Sendable {
        var index: Int32
    }

    enum Kind: UInt8, Sendable {
        case scalar, sequence, mapping
    }

    /// A scalar's tag as Yams stores it: implicit (plain text without a tag), `!!str` (quoted text, and every
    /// mapping key once Yams has compared the keys), another core tag, or any other tag.
    enum Tag: UInt8, Sendable {
        case implicit, str, null, bool, int, float, other
    }

    /// A scalar's style, numbered as libyaml's `yaml_scalar_style_t` and Yams' `Node.Scalar.Style`.
    enum Style: UInt32, Sendable {
        case any, plain, singleQuoted, doubleQuoted, literal, folded
    }

    struct Entry: Equatable, Sendable {
        var kind: Kind
        /// A scalar's style; `.any` for collections.
        var style: Style
        /// A scalar's tag; `.implicit` for collections (the decoder never reads theirs).
        var tag: Tag
        /// Whether the node has a YAML anchor (an alias stands for its anchored node).
        var isAnchored: Bool
        /// libyaml's 1-based line and column of the node's start (see `LineMap`).
        var line: Int
        var column: Int
        /// A scalar's index in `texts`, or a collection's first child in `children`.
        var start: Int32
        /// A collection's number of children: its items, or its keys and values in turn; 0 for a scalar.
        var count: Int32
    }

    private(set) var entries: [Entry] = []
    private(set) var texts: [String] = []
    private(set) var children: [ID] = []
    /// The document's root; nil for an empty stream.
    private(set) var root: ID?

    // MARK: - Reading

    /// A scalar's text, style and tag.
    struct Scalar {
        var string: String
        var style: Style
        var tag: Tag
    }

    func kind(_ node: ID) -> Kind { entries[Int(node.index)].kind }

    /// libyaml's position of the node (1-based line and column).
    func mark(_ node: ID) -> (line: Int, column: Int) {
        let entry = entries[Int(node.index)]
        return (entry.line, entry.column)
    }

    func isAnchored(_ node: ID) -> Bool { entries[Int(node.index)].isAnchored }

    /// The scalar, or nil for a sequence or a mapping.
    func scalar(_ node: ID) -> Scalar? {
        let entry = entries[Int(node.index)]
        guard entry.kind == .scalar else { return nil }
        return Scalar(string: texts[Int(entry.start)], style: entry.style, tag: entry.tag)
    }

    /// A sequence's items, or nil for a scalar or a mapping.
    func sequence(_ node: ID) -> ArraySlice<ID>? {
        let entry = entries[Int(node.index)]
        guard entry.kind == .sequence else { return nil }
        return children[Int(entry.start)..<Int(entry.start + entry.count)]
    }

    /// A mapping's keys and values, in file order, or nil for a scalar or a sequence.
    func mapping(_ node: ID) -> Pairs? {
        let entry = entries[Int(node.index)]
        guard entry.kind == .mapping else { return nil }
        return Pairs(children: children[Int(entry.start)..<Int(entry.start + entry.count)])
    }

    /// A mapping's (key, value) pairs.
    struct Pairs: RandomAccessCollection {
        fileprivate var children: ArraySlice<ID>

        static let empty = Pairs(children: [])

        var startIndex: Int { 0 }
        var endIndex: Int { children.count / 2 }
        subscript(position: Int) -> (key: ID, value: ID) {
            let base = children.startIndex + 2 * position
            return (children[base], children[base + 1])
        }
    }

    // MARK: - Building

    /// Makes room for about `count` nodes.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        texts.reserveCapacity(count)
        children.reserveCapacity(count)
    }

    /// Adds a scalar; returns its ID.
    mutating func addScalar(_ text: String, style: Style, tag: Tag, isAnchored: Bool, line: Int,
                            column: Int) -> ID {
        let id = ID(index: Int32(entries.count))
        entries.append(Entry(kind: .scalar, style: style, tag: tag, isAnchored: isAnchored, line: line,
                             column: column, start: Int32(texts.count), count: 0))
        texts.append(text)
        return id
    }

    /// Adds a collection whose children follow; `close(_:children:)` gives them.
    mutating func openCollection(_ kind: Kind, isAnchored: Bool, line: Int, column: Int) -> ID {
        let id = ID(index: Int32(entries.count))
        entries.append(Entry(kind: kind, style: .any, tag: .implicit, isAnchored: isAnchored, line: line,
                             column: column, start: 0, count: 0))
        return id
    }

    /// Records the children of the collection `id`.
    mutating func close(_ id: ID, children items: some Collection<ID>) {
        entries[Int(id.index)].start = Int32(children.count)
        entries[Int(id.index)].count = Int32(items.count)
        children.append(contentsOf: items)
    }

    mutating func setRoot(_ id: ID?) { root = id }
}
