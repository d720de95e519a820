import DNS
import Hostnames
import IPNet

/// The table form of `egressmap resolve`: per name, a row for each type and server (its rounds merged),
/// columns NAME, TYPE, SERVER, OUTCOME, TTL and ANSWER (the CNAME chain, then the addresses, and whether
/// more came than are kept; or, with neither, what went wrong).
///
/// Rows are written as bytes into a buffer the caller reuses: the table is `resolve`'s default output, and
/// building each row from `String`s padded by Foundation made a bulk resolve four times as slow as with
/// `--json` (100,000 names: 3.8 s against 1.0 s).
public enum ResolveTable {
    /// The widths of the columns before ANSWER; a longer cell pushes the rest of its row to the right.
    /// Two spaces follow each of them.
    static let widths = [40, 4, 22, 11, 9]

    /// The header row, with its line break.
    public static var header: [UInt8] {
        var bytes: [UInt8] = []
        let titles = ["NAME", "TYPE", "SERVER", "OUTCOME", "TTL"]
        for (title, width) in zip(titles, widths) { appendCell(title, width: width, to: &bytes) }
        bytes.append(contentsOf: "ANSWER\n".utf8)
        return bytes
    }

    /// Appends the rows of `resolution`, each with its line break, to `bytes`.
    public static func appendRows(_ resolution: NameResolution, to bytes: inout [UInt8]) {
        resolution.lookups.withUnsafeBufferPointer { lookups in  // in place: a copy retains a dozen references
            let lookup = { (index: Int) in lookups.baseAddress! + index }
            // Per row, its first lookup (whose cells it shows) and the addresses later rounds added.
            var rows: [(first: Int, added: [IPAddress])] = []
            for index in lookups.indices {
                let type = lookup(index).pointee.answer.type
                let server = lookup(index).pointee.answer.server
                guard let row = rows.firstIndex(where: {
                    lookup($0.first).pointee.answer.type == type && lookup($0.first).pointee.answer.server == server
                }) else {
                    rows.append((index, []))
                    continue
                }
                let shown = lookup(rows[row].first)
                for record in lookup(index).pointee.answer.addresses {
                    let listed = shown.pointee.answer.addresses.contains { $0.address == record.address }
                    if !listed && !rows[row].added.contains(record.address) { rows[row].added.append(record.address) }
                }
            }
            for row in rows { appendRow(name: resolution.job.name.text, lookup(row.first), row.added, to: &bytes) }
        }
    }

    /// A row: the cells of `answer`, given by its address (a lookup passed as a value is copied first).
    private static func appendRow(
        name: String, _ answer: UnsafePointer<RoundLookup>, _ added: [IPAddress], to bytes: inout [UInt8]
    ) {
        appendCell(name, width: widths[0], to: &bytes)
        appendCell(answer.pointee.answer.type.rawValue, width: widths[1], to: &bytes)
        appendCell(answer.pointee.answer.server.description, width: widths[2], to: &bytes)
        appendCell(answer.pointee.answer.outcome.rawValue, width: widths[3], to: &bytes)
        let ttlStart = bytes.count
        if let ttl = answer.pointee.answer.ttl {
            appendDecimal(ttl, to: &bytes)
        } else if let ttl = answer.pointee.answer.negativeTTL {
            appendDecimal(ttl, to: &bytes)
            bytes.append(contentsOf: " (neg)".utf8)
        } else {
            bytes.append(UInt8(ascii: "-"))
        }
        let ttlEnd = bytes.count
        pad(from: ttlStart, width: widths[4], to: &bytes)

        let answerStart = bytes.count
        for link in answer.pointee.answer.chain {
            bytes.append(contentsOf: bytes.count == answerStart ? "→ ".utf8 : " → ".utf8)
            bytes.append(contentsOf: link.target.utf8)
        }
        for record in answer.pointee.answer.addresses { appendAddress(record.address, after: answerStart, to: &bytes) }
        for address in added { appendAddress(address, after: answerStart, to: &bytes) }
        if answer.pointee.answer.addressesCapped {
            bytes.append(contentsOf: " (more not kept: at most \(ReplyParserLimits.addressCap) per answer)".utf8)
        }
        if bytes.count == answerStart, let detail = answer.pointee.answer.detail {
            bytes.append(contentsOf: detail.utf8)
        }
        if bytes.count == answerStart { bytes.removeLast(answerStart - ttlEnd) }  // no answer: no padding at the end
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends `address`, after a space unless it is the first thing written since `start`.
    private static func appendAddress(_ address: IPAddress, after start: Int, to bytes: inout [UInt8]) {
        if bytes.count > start { bytes.append(UInt8(ascii: " ")) }
        address.appendText(to: &bytes)
    }

    /// Appends `cell`, padded with spaces to `width` characters, and the two spaces between columns.
    private static func appendCell(_ cell: String, width: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: cell.utf8)
        pad(from: start, width: width, to: &bytes)
    }

    /// Pads the cell written from `start` to `width` characters, then adds the two spaces between columns.
    /// Every padded cell is ASCII (a name is kept in its `xn--` form, a server as an address and port), so its
    /// bytes are its characters.
    private static func pad(from start: Int, width: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, width - (bytes.count - start)) + 2))
    }

    private static func appendDecimal(_ value: UInt32, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }
}
