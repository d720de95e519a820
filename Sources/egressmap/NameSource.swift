import DNS
import EgressMap
import Foundation
import Hostnames

/// Where `resolve` takes its names: the command line's, a file's lines read as the batch asks for them, or
/// the lines of input that arrives at its own pace (a pipe, a terminal), read ahead on a thread of their own
/// so that each name is asked as its line comes.
final class NameSource {
    private let arguments: [NameJob]
    private var argumentIndex = 0
    private let reader: LineReader?
    private let feed: LineFeed?
    private let label: String
    private let errors: EgressMap.OutputStream
    /// Signalled by the feed when a line arrives that `next()` said was not there yet.
    let arrival = InputArrival()
    /// Input lines that were not a valid name (each reported on `errors` as it was read).
    private(set) var badLines = 0
    /// Whether the last `next()` had no name to give (not yet, or no more).
    private(set) var idle = false

    /// `reader` nil: the names are `arguments`. `label` names the input in messages (`-` for standard input).
    init(
        arguments: [NameJob], reader: LineReader?, label: String, errors: EgressMap.OutputStream
    ) {
        self.arguments = arguments
        self.reader = reader
        self.label = label
        self.errors = errors
        let arrival = arrival
        feed = reader.flatMap { $0.mayWait ? LineFeed($0, arrived: arrival.signal) : nil }
    }

    /// Whether the names come from input that arrives at its own pace (and so are bounded one by one: a
    /// stream has no end to bound).
    var isStream: Bool { feed != nil }

    /// The next name, if there is one yet.
    func next() -> NextName {
        let next = nextName()
        if case .name = next { idle = false } else { idle = true }
        return next
    }

    /// Stops reading ahead: for when the batch stops early.
    func stop() { feed?.stop() }

    private func nextName() -> NextName {
        if let feed {
            while true {
                switch feed.next() {
                case .line(let line, let number): if let job = job(line, number: number) { return .name(job) }
                case .notYet: return .notYet
                case .end: return .end
                }
            }
        }
        guard let reader else {
            defer { argumentIndex += 1 }
            return argumentIndex < arguments.count ? .name(arguments[argumentIndex]) : .end
        }
        while let line = reader.next() {
            if let job = job(line, number: reader.lineNumber) { return .name(job) }
        }
        return .end
    }

    /// The name on a line, or nil for a blank line, a comment or a bad line (reported, and counted). A `#`
    /// starts a comment anywhere on the line (no name has one), as in `probe --input` and `cidr merge`.
    private func job(_ line: String, number: Int) -> NameJob? {
        var text = Self.isTrimmed(line) ? line : line.trimmingCharacters(in: .whitespaces)
        if let hash = text.utf8.firstIndex(of: UInt8(ascii: "#")) {
            text = String(text[..<hash]).trimmingCharacters(in: .whitespaces)
        }
        if text.isEmpty { return nil }
        do {
            return NameJob(name: try DomainName(validating: text), line: number)
        } catch {
            badLines += 1
            errors.writeLine("\(label):\(number): \(error)")
            errors.flush()
            return nil
        }
    }

    /// Whether `line` starts and ends with a visible ASCII character, so trimming cannot change it (most
    /// lines do; Foundation's trim cost a tenth of the CPU time of a bulk resolve).
    private static func isTrimmed(_ line: String) -> Bool {
        guard let first = line.utf8.first, let last = line.utf8.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }
}
