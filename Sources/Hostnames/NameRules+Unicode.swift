import Foundation

/// Non-ASCII input: name the offending character and, when the name is an internationalised name, offer its
/// punycode form.
extension NameRules {
    static let dots: Set<UInt32> = [0x3002, 0xFF0E, 0xFF61]

    /// The error for the first non-ASCII scalar at `index`, with a suggestion when one can be made.
    static func diagnoseNonASCII(_ input: String, scalars: [Unicode.Scalar], at index: Int,
                                 asWholeName: Bool) -> NameError {
        let scalar = scalars[index]
        let shown = isInvisible(scalar) ? "(invisible)" : "'\(scalar)'"
        return NameError(
            input: input, column: index + 1,
            problem: "non-ASCII character \(codePoint(scalar)) \(shown)",
            expected: "\(allowed) (internationalised names in their xn-- form)",
            suggestion: suggestion(for: input, asWholeName: asWholeName)
        )
    }

    /// The ASCII form of `input`: compatibility-normalised (full-width letters become ASCII), lower-cased,
    /// invisible characters dropped, non-ASCII labels punycode-encoded; nil unless the result is valid.
    static func suggestion(for input: String, asWholeName: Bool) -> String? {
        var mapped = ""
        for scalar in input.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if dots.contains(scalar.value) {
                mapped.unicodeScalars.append(".")
            } else if !isInvisible(scalar) {
                mapped.unicodeScalars.append(scalar)
            }
        }
        mapped = mapped.precomposedStringWithCanonicalMapping
        var labels: [String] = []
        for label in mapped.split(separator: ".", omittingEmptySubsequences: false) {
            guard label.unicodeScalars.contains(where: { !$0.isASCII }) else {
                labels.append(String(label))
                continue
            }
            guard label.unicodeScalars.allSatisfy({ $0.isASCII || isIDNScalar($0) }),
                  let encoded = Punycode.encode(String(label))
            else { return nil }
            labels.append("xn--" + encoded)
        }
        let candidate = labels.joined(separator: ".")
        guard candidate != input, let valid = try? validate(candidate, asWholeName: asWholeName) else { return nil }
        return valid
    }

    /// A letter, mark or digit: what an internationalised label may hold besides ASCII.
    static func isIDNScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            true
        default:
            false
        }
    }

    /// Control, format (zero-width, bidi), separator or unassigned: characters a terminal hides or reorders.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse, .surrogate:
            true
        case .spaceSeparator:
            scalar != " "
        default:
            false
        }
    }

    /// `text` with invisible characters and non-space whitespace written as `\u{…}`.
    static func printable(_ text: String) -> String {
        var result = ""
        // A name is 253 characters at most: a longer input (a 1 MB line of `resolve --input`) is shown in part,
        // or each message about it would be as long.
        let shown = 300
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == shown {
                result += "… (\(text.unicodeScalars.count) characters in all)"
                break
            }
            if isInvisible(scalar) || (scalar.isASCII && scalar.value < 0x20) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
