/// The host-name rules shared by `DomainName` and manifests, over Unicode scalars so columns match YAML marks.
enum NameRules {
    static let maxLabel = 63
    static let maxName = 253
    static let allowed = "ASCII letters, digits, '-', '_' and '.'"

    /// Validates `input` and returns it lower-cased without its trailing dot.
    /// - Parameter asWholeName: also apply the rules that only make sense for a complete name
    ///   (length, `localhost`, number-like names); false for labels put inside a longer name.
    static func validate(_ input: String, asWholeName: Bool) throws(NameError) -> String {
        if asWholeName, let plain = plainName(input) { return plain }
        let scalars = Array(input.unicodeScalars)
        func fail(_ column: Int, _ problem: String, _ expected: String) -> NameError {
            NameError(input: input, column: column, problem: problem, expected: expected)
        }
        guard !scalars.isEmpty else { throw fail(1, "empty name", "a host name") }
        if let index = scalars.firstIndex(where: { !$0.isASCII }) {
            throw diagnoseNonASCII(input, scalars: scalars, at: index, asWholeName: asWholeName)
        }
        if isAddressLiteral(input) {
            throw fail(1, "IP address literal \"\(input)\"", "a host name (an address is not a name)")
        }
        var body = scalars
        if body.last == "." { body.removeLast() }
        guard !body.isEmpty else { throw fail(1, "empty name", "a host name (\".\" alone is the root)") }

        var text = ""
        text.unicodeScalars.reserveCapacity(body.count)
        var labelStart = 0
        for (index, scalar) in body.enumerated() {
            let column = index + 1
            switch scalar {
            case "a"..."z", "0"..."9", "-", "_":
                text.unicodeScalars.append(scalar)
            case "A"..."Z":
                text.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            case ".":
                try checkLabel(body, from: labelStart, to: index, input: input)
                text.unicodeScalars.append(scalar)
                labelStart = index + 1
                continue
            case " ":
                throw fail(column, "space", allowed)
            case "*":
                throw fail(column, "wildcard '*'", "\(allowed) (a plain name has no wildcard)")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    throw fail(column, "control character \(codePoint(scalar))", allowed)
                }
                if asWholeName, scalar == ":" || scalar == "/" || scalar == "@", let host = hostOfURL(input) {
                    throw NameError(
                        input: input, column: column, problem: "character '\(scalar)'",
                        expected: "\(allowed) (a host name, not a URL or host:port)", suggestion: host
                    )
                }
                throw fail(column, "character '\(scalar)'", allowed)
            }
            if index - labelStart + 1 > maxLabel {
                throw fail(column, "label longer than \(maxLabel) characters", "labels of 1 to \(maxLabel) characters")
            }
        }
        try checkLabel(body, from: labelStart, to: body.count, input: input)
        guard asWholeName else { return text }

        if body.count > maxName {
            throw fail(maxName + 1, "name of \(body.count) characters",
                       "at most \(maxName) characters (\(maxName + 1) with a trailing dot)")
        }
        if text == "localhost" || text.hasSuffix(".localhost") {
            let column = text == "localhost" ? 1 : text.count - "localhost".count + 1
            throw fail(column, "'localhost'", "a public host name (localhost always means this machine)")
        }
        let lastLabel = text.split(separator: ".").last.map(String.init) ?? text
        if isNumberLike(lastLabel) {
            throw fail(labelStart + 1, "number-like name \"\(text)\"",
                       "a last label with a letter (resolvers read names like 127.1 or 2130706433 as addresses)")
        }
        return text
    }

    /// The host of a URL or `host:port` pasted where a name goes (`https://api.example.com/v1`,
    /// `api.example.com:443`, `user@host`), when that host is a valid name: what to suggest instead.
    static func hostOfURL(_ input: String) -> String? {
        var rest = Substring(input)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.lastIndex(of: ":"), rest[rest.index(after: colon)...].allSatisfy(\.isASCIINumber) {
            rest = rest[..<colon]  // the port
        }
        let host = String(rest)
        guard host != input, let name = try? validate(host, asWholeName: true) else { return nil }
        return name
    }

    /// `input` without a trailing dot when it is plainly a valid whole name, checked over its bytes alone:
    /// labels of 1 to 63 of `[a-z0-9-_]` (lower case), none starting or ending with `-` or with `--` at
    /// the third character (`xn--`), at most `maxName` characters, a last label with a character from
    /// `[g-wyz_-]` (so neither number-like, as `0x7f000001` is, nor an address) that is not `localhost`. Anything else returns nil
    /// and takes the full path, which gives the exact error: bulk input is mostly plain, and the full path
    /// cost more CPU per name than resolving it.
    static func plainName(_ input: String) -> String? {
        var input = input
        let end = input.withUTF8 { bytes -> Int? in
            var end = bytes.count
            if end > 0 && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard end > 0, end <= maxName else { return nil }
            var labelStart = 0
            var lastLabelSafe = false
            for index in 0...end {
                let byte = index == end ? UInt8(ascii: ".") : bytes[index]
                switch byte {
                case UInt8(ascii: "."):
                    let length = index - labelStart
                    let hyphen = UInt8(ascii: "-")
                    guard length >= 1, length <= maxLabel, bytes[labelStart] != hyphen, bytes[index - 1] != hyphen,
                        length < 4 || bytes[labelStart + 2] != hyphen || bytes[labelStart + 3] != hyphen
                    else { return nil }
                    if index == end {
                        let localhost = "localhost".utf8
                        if length == localhost.count && bytes[labelStart..<index].elementsEqual(localhost) { return nil }
                    } else {
                        labelStart = index + 1
                        lastLabelSafe = false
                    }
                case UInt8(ascii: "g")...UInt8(ascii: "w"), UInt8(ascii: "y"), UInt8(ascii: "z"), UInt8(ascii: "-"),
                    UInt8(ascii: "_"):
                    lastLabelSafe = true
                case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "x"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    break
                default:
                    return nil
                }
            }
            return lastLabelSafe ? end : nil
        }
        guard let end else { return nil }
        return end == input.utf8.count ? input : String(input.dropLast())  // the trailing dot
    }

    /// Checks the label `body[start..<end]`: not empty, no leading or trailing `-`, valid punycode after `xn--`.
    private static func checkLabel(_ body: [Unicode.Scalar], from start: Int, to end: Int,
                                   input: String) throws(NameError) {
        guard end > start else {
            throw NameError(input: input, column: end + 1, problem: "empty label",
                            expected: "a label between dots (\"a..b\" and a leading dot are not names)")
        }
        var label = ""
        label.unicodeScalars.append(contentsOf: body[start..<end])
        label = label.lowercased()
        if label.hasPrefix("xn--"), !isValidALabel(label) {
            throw NameError(input: input, column: start + 1, problem: "invalid punycode label \"\(label)\"",
                            expected: "an xn-- label that decodes to an internationalised label")
        }
        if body[start] == "-" {
            throw NameError(input: input, column: start + 1, problem: "label starting with '-'",
                            expected: "a label that starts with a letter, digit or '_'")
        }
        if body[end - 1] == "-" {
            throw NameError(input: input, column: end, problem: "label ending with '-'",
                            expected: "a label that ends with a letter, digit or '_'")
        }
    }

    /// True when `label` (lower case, with `xn--`) decodes to non-ASCII text that encodes back to it.
    static func isValidALabel(_ label: String) -> Bool {
        let encoded = String(label.dropFirst(4))
        guard !encoded.isEmpty, let decoded = Punycode.decode(encoded),
              decoded.unicodeScalars.contains(where: { !$0.isASCII }),
              decoded.unicodeScalars.allSatisfy({ isIDNScalar($0) || $0 == "-" || ("0"..."9").contains($0) }),
              decoded.lowercased() == decoded
        else { return false }
        return Punycode.encode(decoded) == encoded
    }

    /// A label that resolvers and `inet_aton` read as a number: decimal, octal, or `0x` hexadecimal.
    static func isNumberLike(_ label: String) -> Bool {
        if !label.isEmpty, label.allSatisfy(\.isASCIINumber) { return true }
        guard label.hasPrefix("0x") else { return false }
        return label.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// True when `input` is an IPv4 (dotted quad) or IPv6 address literal, bracketed or not.
    static func isAddressLiteral(_ input: String) -> Bool {
        var text = Substring(input)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4,
           parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIINumber) && Int($0)! <= 255 }) {
            return true
        }
        let colons = text.filter { $0 == ":" }.count
        if colons >= 2, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" }) {
            return true
        }
        return false
    }

    /// `U+00FC` for a scalar.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension Character {
    fileprivate var isASCIINumber: Bool { isASCII && isNumber }
}
