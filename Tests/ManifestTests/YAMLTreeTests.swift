import Foundation
import TestSupport
import Testing
import Yams

@testable import Manifest

/// The two ways to the decoder's tree: libyaml's events (the fast way) must give exactly the tree Yams' nodes
/// give wherever it does not leave the document to Yams, and must leave to Yams every document where the two
/// could differ.
@Suite("YAML tree: libyaml's events against Yams' nodes")
struct YAMLTreeTests {
    /// The tree from Yams' nodes, or nil where Yams throws.
    static func reference(_ text: String) -> YAMLTree? {
        guard let parser = try? Parser(yaml: text, resolver: .basic) else { return nil }
        return withExtendedLifetime(parser) {
            do {
                return YAMLTree(try parser.singleRoot())
            } catch {
                return nil
            }
        }
    }

    static let accepted = [
        "manifest: 1\nname: t\nendpoints:\n  - host: a.example.com\n    ports: [443, 80]\n",
        "{\"manifest\": 1, \"name\": \"t\", \"endpoints\": [{\"host\": \"a.example.com\", \"ports\": [443]}]}",
        "'a': 1\n\"b\": 'two'\nc: \"three\"\nd: |\n  lit\n  eral\ne: >\n  fol\n  ded\nf: ~\ng:\nh: null\n",
        "a:\n- 1\n- - 2\n  - {x: y}\n- []\n- {}\nb: [a, [b, c], {d: e}]\n",
        "# comment\na: 1 # trailing\n\n\nb:   x  y  \n",
        "---\na: 1\n...\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\rb: 2\r",
        "a: \"x\u{85}y\"\nc: \"\u{2028}\"\nd: 'e\u{2029}f'\n",
        "ключ: значение\nb: \"b\u{FC}cher\"\nc: 😀\n",
        "a: \"\\uFEFFbom\"\nb: \"nul\\0x\"\nc: \"\\x41\\t\"\n",
        "a: \"\\uFEFF\\uFEFFtwo\"\nb: \"\\uFEFF\"\n\"\\uFEFFkey\": c\nd: \"x\\uFEFF\"\n",
        "\"\u{E9}\": 1\ne: 2\n",
        "a: 1\nb: [1, 2, 3]\nc: {x: [y, {z: w}]}\n",
        "- a\n- b\n",
        "plain",
        "",
        "# only a comment\n",
    ]

    @Test("the same tree as Yams' nodes", arguments: accepted)
    func sameTree(_ text: String) throws {
        let events = try #require(YAMLTree(events: text))
        #expect(events == Self.reference(text))
    }

    @Test("odd texts: the same tree, or left to Yams", arguments: [
        "a: x\u{FEFF}\nb: '\u{FEFF}y'\n", "\u{FEFF}a: 1\n", "a: 1\n\u{FEFF}b: 2\n", "a: \u{85}b\n",
        "a: b\u{2028}c: d\n", "a: [1,\n2]\n", "a: \"multi\n  line\"\nb: 'it''s'\n", "a: |+\n  keep\n\n",
        "a: >-\n  strip\n", "? a\n: b\n", "a: {b, c}\n", "[a, b]: c\n", "- ? a\n  : b\n", "%YAML 1.1\n---\na: 1\n",
        "%TAG !e! tag:e.com,2000:\n---\na: 1\n",
        "a: 0x1F\nb: .inf\nc: yes\nd: 1:30\n", "\"a\\\nb\": c\n", "a:\n  - b\n  -\n  - c\n",
    ])
    func oddTexts(_ text: String) {
        if let events = YAMLTree(events: text) { #expect(events == Self.reference(text)) }
    }

    static let declined = [
        "a: &x 1\nb: *x\n",
        "a: &x [1]\n",
        "a: !!int 5\n",
        "a: !!str 5\n",
        "a: ! 5\n",
        "a: !custom {b: 1}\n",
        "!!map {a: 1}\n",
        "? [a, b]\n: c\n",
        "? {a: b}\n: c\n",
        "a: 1\na: 2\n",
        "a: 1\n\"a\": 2\n",
        "\"\u{E9}\": 1\n\"e\u{301}\": 2\n",
        "outer:\n  a: 1\n  b: 2\n  a: 3\n",
        "a: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "a:\n\t- b\n",
        "a: \"\\uD800\"\n",
        "*x\n",
    ]

    @Test("left to Yams: anchors, aliases, explicit tags, complex and repeated keys, two documents, errors",
          arguments: declined)
    func leftToYams(_ text: String) {
        #expect(YAMLTree(events: text) == nil)
    }

    @Test("every committed manifest and fuzz input: the same tree, or left to Yams")
    func corpus() throws {
        var texts = Manifest.bundledNames.compactMap(Manifest.bundledText)
        let folder = TestPaths.packageRoot.appendingPathComponent("fuzz/corpus/FuzzManifest")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            if let text = String(data: data, encoding: .utf8) { texts.append(text) }
        }
        var built = 0
        for text in texts {
            guard let events = YAMLTree(events: text) else { continue }
            built += 1
            #expect(events == Self.reference(text))
        }
        #expect(built >= 10)
        #expect(Manifest.bundledNames.compactMap(Manifest.bundledText).allSatisfy { YAMLTree(events: $0) != nil })
    }

    @Test("a mapping of many keys: a repeated one is found past the pairwise check too")
    func manyKeys() {
        let keys = (0..<40).map { "k\($0): \($0)\n" }.joined()
        #expect(YAMLTree(events: keys) != nil)
        #expect(YAMLTree(events: keys + "k7: again\n") == nil)
    }
}
