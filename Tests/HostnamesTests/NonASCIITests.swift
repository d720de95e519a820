import Hostnames
import Testing

@Suite("Non-ASCII names")
struct NonASCIITests {
    @Test(
        "the punycode form is suggested when the name is otherwise valid",
        arguments: [
            ("b\u{FC}cher.de", "xn--bcher-kva.de"),
            ("B\u{DC}CHER.DE", "xn--bcher-kva.de"),
            ("bu\u{308}cher.de", "xn--bcher-kva.de"),  // decomposed ü is composed first
            ("m\u{FC}nchen.example", "xn--mnchen-3ya.example"),
            ("\u{FF25}\u{FF38}\u{FF21}\u{FF2D}\u{FF30}\u{FF2C}\u{FF25}\u{FF0E}\u{FF43}\u{FF4F}\u{FF4D}", "example.com"),
            ("exam\u{200B}ple.com", "example.com"),
            ("\u{4F8B}\u{3048}\u{3002}\u{30C6}\u{30B9}\u{30C8}", "xn--r8jz45g.xn--zckzah"),
        ]
    )
    func suggestion(input: String, expected: String) {
        #expect {
            try DomainName(validating: input)
        } throws: { error in
            (error as? NameError)?.suggestion == expected
                && (error as? NameError)?.description.contains("did you mean \(expected)?") == true
        }
    }

    @Test("no suggestion when the name would still be invalid")
    func noSuggestion() {
        #expect {
            try DomainName(validating: "b\u{FC}cher..de")
        } throws: { error in
            (error as? NameError)?.suggestion == nil
        }
    }

    @Test("the description shows bidi and zero-width characters escaped, never raw")
    func printable() {
        let error = NameError(input: "a\u{202E}b", column: 2, problem: "x", expected: "y")
        #expect(error.description.contains("a\\u{202E}b"))
        #expect(!error.description.unicodeScalars.contains("\u{202E}"))
    }
}

@Suite("Punycode (RFC 3492)")
struct PunycodeTests {
    @Test(
        "encodes and decodes known labels",
        arguments: [
            ("b\u{FC}cher", "bcher-kva"),
            ("m\u{FC}nchen", "mnchen-3ya"),
            ("\u{4F8B}\u{3048}", "r8jz45g"),
            ("\u{30C6}\u{30B9}\u{30C8}", "zckzah"),
            // RFC 3492 section 7.1 (A): Arabic (Egyptian)
            ("\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}"
                + "\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}", "egbpdaj6bu4bxfgehfvwxn"),
            // RFC 3492 section 7.1 (B): Chinese (simplified)
            ("\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}", "ihqwcrb4cv8a8dqg056pqjye"),
            ("-> $1.00 <-", "-> $1.00 <--"),
        ]
    )
    func roundTrip(unicode: String, ascii: String) {
        #expect(Punycode.encode(unicode) == ascii)
        #expect(Punycode.decode(ascii) == unicode)
    }

    @Test("rejects text that is not punycode", arguments: ["zz!", "99999999999", "\u{FC}"])
    func invalid(text: String) {
        #expect(Punycode.decode(text) == nil || Punycode.decode(text).map { Punycode.encode($0) } != text)
    }
}
