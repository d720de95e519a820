import Yams

/// Building the tree from the node tree of Yams' `Parser`: the way for every document the event builder leaves
/// to Yams (anchors, explicit tags, complex keys), and the reference it is tested against.
extension YAMLTree {
    /// The tree of `root`, read as Yams left it after parsing (keys' tags resolved by its duplicate check).
    /// The parser that made `root` must be alive: it owns the anchors nodes refer to weakly.
    init(_ root: Node?) {
        var converter = NodeConverter()
        root.map { converter.tree.setRoot(converter.add($0)) }
        self = converter.tree
    }
}

private struct NodeConverter {
    var tree = YAMLTree()
    /// Anchored nodes already added: every alias of one is the same node, added once (a document of nested
    /// aliases stands for exponentially many nodes).
    var anchored: [ObjectIdentifier: YAMLTree.ID] = [:]

    mutating func add(_ node: Node) -> YAMLTree.ID {
        let anchor = node.anchor
        if let anchor, let id = anchored[ObjectIdentifier(anchor)] { return id }
        let line = node.mark?.line ?? 1
        let column = node.mark?.column ?? 1
        let id: YAMLTree.ID
        switch node {
        case .scalar(let scalar):
            let style = YAMLTree.Style(rawValue: scalar.style.rawValue) ?? .any
            id = tree.addScalar(scalar.string, style: style, tag: Self.tag(scalar.tag.rawValue),
                                isAnchored: anchor != nil, line: line, column: column)
            if let anchor { anchored[ObjectIdentifier(anchor)] = id }
        case .sequence(let sequence):
            id = tree.openCollection(.sequence, isAnchored: anchor != nil, line: line, column: column)
            if let anchor { anchored[ObjectIdentifier(anchor)] = id }
            let items = sequence.map { add($0) }
            tree.close(id, children: items)
        case .mapping(let mapping):
            id = tree.openCollection(.mapping, isAnchored: anchor != nil, line: line, column: column)
            if let anchor { anchored[ObjectIdentifier(anchor)] = id }
            var items: [YAMLTree.ID] = []
            for (key, value) in mapping {
                items.append(add(key))
                items.append(add(value))
            }
            tree.close(id, children: items)
        case .alias:
            // The parser resolves aliases to their nodes; a tree built by hand could hold one.
            id = tree.addScalar("", style: .any, tag: .other, isAnchored: true, line: line, column: column)
        }
        return id
    }

    /// The stored tag, not resolved (reading `Node.tag` would resolve an implicit one).
    static func tag(_ name: String) -> YAMLTree.Tag {
        switch name {
        case Tag.Name.implicit.rawValue: .implicit
        case Tag.Name.str.rawValue: .str
        case Tag.Name.null.rawValue: .null
        case Tag.Name.bool.rawValue: .bool
        case Tag.Name.int.rawValue: .int
        case Tag.Name.float.rawValue: .float
        default: .other
        }
    }
}
