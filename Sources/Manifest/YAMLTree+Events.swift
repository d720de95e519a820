internal import CYaml

/// Building the tree straight from libyaml's events, without Yams' `Node`s: a `Tag` object, a Foundation
/// string conversion and copies of whole subtrees for every node made loading a 10,000-endpoint manifest
/// cost a tenth of a second before the decoder had read a key.
extension YAMLTree {
    /// The tree of `text`, parsed by libyaml exactly as Yams' `Parser` parses it (the same bytes, UTF-8); nil
    /// where Yams must decide: any YAML error, an anchor, an alias, an explicit tag, a key that is not a scalar,
    /// a key given twice in a mapping, a second document.
    init?(events text: String) {
        var text = text
        let built = text.withUTF8 { Self.build(from: $0) }
        guard let built else { return nil }
        self = built
    }

    private static func build(from bytes: UnsafeBufferPointer<UInt8>) -> YAMLTree? {
        var builder = EventBuilder()
        // A manifest has a node for every dozen bytes or so.
        builder.tree.reserveCapacity(bytes.count / 12)
        return readEvents(of: bytes) { event in
            switch builder.take(event) {
            case .more: .more
            case .done: .done(builder.tree)
            case .unsure: .stop
            }
        }
    }

    /// What a reader of events says after each one.
    enum Reading<Value> { case more, done(Value), stop }

    /// Hands libyaml's events of `bytes` (UTF-8) to `take`, one at a time, until it is done: its value, or nil
    /// when it stops or libyaml cannot parse the text.
    static func readEvents<Value>(
        of bytes: UnsafeBufferPointer<UInt8>, _ take: (yaml_event_t) -> Reading<Value>
    ) -> Value? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { return nil }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        while true {
            guard yaml_parser_parse(parser, event) == 1 else { return nil }
            defer { yaml_event_delete(event) }
            switch take(event.pointee) {
            case .more: continue
            case .done(let value): return value
            case .stop: return nil
            }
        }
    }
}

/// Turns events into the tree, one at a time.
private struct EventBuilder {
    enum Step { case more, done, unsure }

    /// Where the builder is in the stream.
    enum Phase { case streamStart, documentStart, nodes, documentEnd, streamEnd }

    /// An open sequence or mapping and the children read so far.
    struct Frame {
        var id: YAMLTree.ID
        var isMapping: Bool
        var items: [YAMLTree.ID]
    }

    var tree = YAMLTree()
    var phase = Phase.streamStart
    var stack: [Frame] = []
    /// Children buffers of closed frames, reused so a collection costs no allocation once the depth was seen.
    var spare: [[YAMLTree.ID]] = []

    /// Whether the next node is a mapping key.
    var atKey: Bool {
        guard let top = stack.last else { return false }
        return top.isMapping && top.items.count % 2 == 0
    }

    mutating func take(_ event: yaml_event_t) -> Step {
        switch (phase, event.type) {
        case (.streamStart, YAML_STREAM_START_EVENT):
            phase = .documentStart
        case (.documentStart, YAML_STREAM_END_EVENT):
            return .done  // an empty stream: no root
        case (.documentStart, YAML_DOCUMENT_START_EVENT):
            phase = .nodes
        case (.nodes, YAML_SCALAR_EVENT):
            let scalar = event.data.scalar
            guard scalar.anchor == nil, scalar.tag == nil else { return .unsure }
            var bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)[...]
            // Yams reads the value with Foundation's `String(bytes:encoding: .utf8)`, which drops one leading
            // byte-order mark (a scalar such as "\uFEFFx").
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            let text = String(decoding: bytes, as: UTF8.self)
            // Yams resolves every key's tag when it compares the keys: a plain key's becomes `!!str` too.
            let tag: YAMLTree.Tag = scalar.quoted_implicit == 1 || atKey ? .str : .implicit
            guard let style = YAMLTree.Style(rawValue: scalar.style.rawValue) else { return .unsure }
            let mark = event.start_mark
            add(tree.addScalar(text, style: style, tag: tag, isAnchored: false, line: mark.line + 1,
                               column: mark.column + 1))
        case (.nodes, YAML_SEQUENCE_START_EVENT):
            let start = event.data.sequence_start
            guard start.anchor == nil, start.implicit != 0, !atKey else { return .unsure }
            open(.sequence, event.start_mark)
        case (.nodes, YAML_MAPPING_START_EVENT):
            let start = event.data.mapping_start
            guard start.anchor == nil, start.implicit != 0, !atKey else { return .unsure }
            open(.mapping, event.start_mark)
        case (.nodes, YAML_SEQUENCE_END_EVENT), (.nodes, YAML_MAPPING_END_EVENT):
            guard var frame = stack.popLast() else { return .unsure }
            if frame.isMapping && hasDuplicateKeys(frame.items) { return .unsure }
            tree.close(frame.id, children: frame.items)
            frame.items.removeAll(keepingCapacity: true)
            spare.append(frame.items)
            add(frame.id)
        case (.documentEnd, YAML_DOCUMENT_END_EVENT):
            phase = .streamEnd
        case (.streamEnd, YAML_STREAM_END_EVENT):
            return .done
        default:
            return .unsure  // an alias, a second document, or an order libyaml does not produce
        }
        return .more
    }

    private mutating func open(_ kind: YAMLTree.Kind, _ mark: yaml_mark_t) {
        let id = tree.openCollection(kind, isAnchored: false, line: mark.line + 1, column: mark.column + 1)
        stack.append(Frame(id: id, isMapping: kind == .mapping, items: spare.popLast() ?? []))
    }

    /// Adds a finished node to the open collection, or makes it the root.
    private mutating func add(_ id: YAMLTree.ID) {
        if stack.isEmpty {
            tree.setRoot(id)
            phase = .documentEnd
        } else {
            stack[stack.count - 1].items.append(id)
        }
    }

    /// Whether two keys of a mapping are equal as Yams compares them: as Swift strings (canonically
    /// equivalent text), every key here being a scalar tagged `!!str`.
    private func hasDuplicateKeys(_ items: [YAMLTree.ID]) -> Bool {
        let key = { (pair: Int) in tree.scalar(items[2 * pair])?.string ?? "" }
        let count = items.count / 2
        guard count > 16 else {
            return (0..<count).contains { later in (0..<later).contains { key($0) == key(later) } }
        }
        return Set((0..<count).map(key)).count != count
    }
}

extension YAMLTree {
    /// An anchor (`&p`) or alias (`*p`) of a YAML text, where libyaml puts it (1-based: see `LineMap`).
    struct Reference: Equatable {
        var text: String
        var line: Int
        var column: Int
    }

    /// Every anchor and alias of `text`, in document order, from libyaml's events: an alias is not followed, so
    /// a document of nested aliases costs what its text does. Nil when libyaml cannot parse the text.
    static func references(in text: String) -> [Reference]? {
        var text = text
        var found: [Reference] = []
        return text.withUTF8 { bytes in
            readEvents(of: bytes) { event -> Reading<[Reference]> in
                let name: UnsafeMutablePointer<UInt8>?
                var sigil = "&"
                switch event.type {
                case YAML_STREAM_END_EVENT: return .done(found)
                case YAML_ALIAS_EVENT:
                    name = event.data.alias.anchor
                    sigil = "*"
                case YAML_SCALAR_EVENT: name = event.data.scalar.anchor
                case YAML_SEQUENCE_START_EVENT: name = event.data.sequence_start.anchor
                case YAML_MAPPING_START_EVENT: name = event.data.mapping_start.anchor
                default: name = nil
                }
                if let name {
                    let mark = event.start_mark
                    let text = sigil + String(cString: name)
                    found.append(Reference(text: text, line: mark.line + 1, column: mark.column + 1))
                }
                return .more
            }
        }
    }
}
