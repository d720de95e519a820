import IPNet
import Testing

/// Inputs the fuzzer (`fuzz/Sources/FuzzIPParsers`) found crashing, each kept as a regression test.
@Suite("IPNet: fuzz regressions")
struct FuzzRegressionTests {
    /// The first crash: an error inside a character made of several scalars (a digit and a combining mark)
    /// asked for the character before the text's start. The error must point at that character instead.
    @Test("an error inside a combined character points at that character", arguments: [
        ("1\u{301}.2.3.4", 0),
        ("10.0.0.1\u{301}", 7),
        ("10.0.0.0/2\u{20DD}4", 9),
        ("2\u{35B}\u{17F}\u{35D}\u{1C5}0# 8:0:2\u{FFFD}", 0),  // the fuzzer's input
    ])
    func combiningMark(text: String, offset: Int) {
        do {
            _ = try IPPrefix(parsing: text, allowingBareAddress: true)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.offset == offset, "\(error)")
            #expect(error.input == text)
        }
        #expect(throws: IPParseError.self) { try IPAddress(parsing: text) }
        #expect(throws: IPParseError.self) { try IPRange(parsing: text) }
        #expect(throws: IPListError.self) { try IPAddressSet(parsingList: text) }
    }
}
