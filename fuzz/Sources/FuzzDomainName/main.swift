// libFuzzer target: the host-name validator (`DomainName(validating:)`, `DomainName.validateLabels`), fed any
// UTF-8 (invalid sequences become U+FFFD, as they do when the CLI reads arguments and lines).
import Hostnames

/// Validates the input as a whole name and as labels, and checks what a valid result or an error promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDomainName(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = size == 0 ? "" : String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let name = try DomainName(validating: text)
        checkValid(name.text)
        precondition(name.text.count <= 253, "name over 253 characters")
        precondition((try? DomainName(validating: name.text)) == name, "a valid name does not validate again")
        precondition(name.labels.allSatisfy { !$0.isEmpty && $0.count <= 63 }, "a bad label in a valid name")
        _ = name.parent
    } catch {
        checkError(error, text)
    }
    do {
        checkValid(try DomainName.validateLabels(text))
    } catch {
        checkError(error, text)
    }
    return 0
}

/// A validated name is lower-case ASCII letters, digits, `-`, `_` and dots, with no trailing dot.
private func checkValid(_ text: String) {
    precondition(!text.isEmpty && !text.hasSuffix("."), "empty or trailing dot")
    precondition(text.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }, "a character a firewall config cannot take")
}

/// An error points inside the input (or just past its end) and prints without raw control or bidi characters.
private func checkError(_ error: NameError, _ text: String) {
    precondition(error.input == text, "the error quotes other text")
    precondition(error.column >= 1 && error.column <= text.unicodeScalars.count + 1, "column outside the input")
    precondition(!error.problem.isEmpty && !error.expected.isEmpty, "an error without words")
    let shown = error.description.unicodeScalars
    precondition(!shown.contains { $0.properties.generalCategory == .format || $0.value < 0x20 }, "raw control")
    if let suggestion = error.suggestion {
        precondition(suggestion.unicodeScalars.allSatisfy(\.isASCII), "a non-ASCII suggestion")
    }
}
