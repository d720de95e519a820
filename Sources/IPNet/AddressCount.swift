/// A number of addresses, exact from 0 up to 2^128 + 2^32 (both whole address spaces).
public struct AddressCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The count modulo 2^128.
    public private(set) var low: UInt128
    /// Whether 2^128 is added to `low`: set only when the whole IPv6 space is counted.
    public private(set) var carry: Bool

    public init(_ value: UInt128) {
        self.low = value
        self.carry = false
    }

    /// 2^exponent, for exponent 0 through 128.
    public init(powerOfTwo exponent: Int) {
        precondition((0...128).contains(exponent), "an address count is at most 2^128")
        self.low = exponent == 128 ? 0 : 1 << UInt128(exponent)
        self.carry = exponent == 128
    }

    public static let zero = AddressCount(0)

    public static func + (lhs: Self, rhs: Self) -> Self {
        let (sum, overflow) = lhs.low.addingReportingOverflow(rhs.low)
        precondition(!(overflow && (lhs.carry || rhs.carry)) && !(lhs.carry && rhs.carry), "count above 2^128")
        var result = AddressCount(sum)
        result.carry = overflow || lhs.carry || rhs.carry
        return result
    }

    public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.carry ? 1 : 0, lhs.low) < (rhs.carry ? 1 : 0, rhs.low)
    }

    /// The decimal value.
    public var description: String {
        carry ? addDecimal("340282366920938463463374607431768211456", low.description) : low.description
    }
}

/// The sum of two non-negative decimal numerals, as a decimal numeral.
private func addDecimal(_ a: String, _ b: String) -> String {
    var result = [UInt8]()
    var left = Array(a.utf8)
    var right = Array(b.utf8)
    var carry: UInt8 = 0
    while !left.isEmpty || !right.isEmpty || carry > 0 {
        let leftDigit = left.popLast().map { $0 - UInt8(ascii: "0") } ?? 0
        let rightDigit = right.popLast().map { $0 - UInt8(ascii: "0") } ?? 0
        let sum = leftDigit + rightDigit + carry
        result.append(UInt8(ascii: "0") + sum % 10)
        carry = sum / 10
    }
    return String(decoding: result.reversed(), as: UTF8.self)
}
