import Testing

@testable import Manifest

/// `LineMap` reads UTF-8 bytes; checked against the rule written over Unicode scalars, as it was first written.
@Suite("Line map: libyaml's positions to the file's")
struct LineMapTests {
    /// The rule over scalars: libyaml breaks at LF, CR, CRLF, NEL, LS and PS; the file only at the first three.
    struct Reference {
        var starts: [(line: Int, column: Int)]?
        var end = (line: 1, length: 0)

        init(_ text: String) {
            let special = text.unicodeScalars.contains { ["\u{85}", "\u{2028}", "\u{2029}"].contains($0) }
            var starts = [(line: 1, column: 0)]
            var line = 1
            var column = 0
            var afterCR = false
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\n" where afterCR:
                    break
                case "\n", "\r":
                    line += 1
                    column = 0
                    if special { starts.append((line, 0)) }
                case "\u{85}", "\u{2028}", "\u{2029}":
                    column += 1
                    starts.append((line, column))
                default:
                    column += 1
                }
                afterCR = scalar == "\r"
            }
            self.starts = special ? starts : nil
            end = (line, column)
        }
    }

    /// What the map records (where libyaml's lines start, and the file's end) is what the reference records.
    static func check(_ text: String) -> [String] {
        let map = LineMap(text)
        let reference = Reference(text)
        var mismatches: [String] = []
        let starts = map.starts?.map { [$0.line, $0.column] }
        let expected = reference.starts?.map { [$0.line, $0.column] }
        if starts != expected {
            mismatches.append("starts \(String(describing: starts)), expected \(String(describing: expected))")
        }
        if map.end != reference.end { mismatches.append("end \(map.end), expected \(reference.end)") }
        return mismatches
    }

    @Test("a table of texts: every kind of break, multi-byte scalars, no final newline", arguments: [
        "", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\rc", "\r\n\r\n", "\n\r", "a\u{85}b\nc", "x\u{2028}y\u{2029}z\r\nw",
        "ä\u{85}\u{85}ö\n", "日本\u{2028}語\n", "😀\r😀\r\n😀", "\u{85}", "a: \"\u{2029}\"\nb: c\n",
        "é\u{301}x\ny",
    ])
    func table(_ text: String) {
        #expect(Self.check(text).isEmpty, "\(Self.check(text).prefix(5))")
    }

    @Test("random texts of those pieces")
    func random() {
        let pieces = ["a", "é", "日", "😀", "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", " ", "\u{C2}"]
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<500 {
            let count = Int(generator.next(upperBound: UInt(30)))
            let text = (0..<count).map { _ in pieces[Int(generator.next(upperBound: UInt(pieces.count)))] }.joined()
            let mismatches = Self.check(text)
            #expect(mismatches.isEmpty, "\(text.unicodeScalars.map { $0.value }): \(mismatches.prefix(3))")
        }
    }

    @Test("UTF-8 validation: the standard library's check and the decoder's own offset finder agree")
    func utf8() {
        let cases: [[UInt8]] = [
            [0x61], [0xC3, 0xA9], [0xC3], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFF], [0x80], [0xE2, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xEF, 0xBF, 0xBF],
        ]
        for bytes in cases {
            for prefix in [[], [0x61, 0x62]] as [[UInt8]] {
                let input = prefix + bytes + [0x63]
                let valid = String(validating: input[...], as: UTF8.self) != nil
                #expect(valid == (Manifest.firstInvalidUTF8(input[...]) == nil), "\(input)")
            }
        }
    }
}
