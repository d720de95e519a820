// libFuzzer target: the address, prefix, range and list parsers of IPNet, fed any UTF-8.
import IPNet

/// Parses the input every way the CLI and the manifest do, and checks that what parses prints and re-parses
/// to the same value, and that errors point inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPParsers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = size == 0 ? "" : String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let address = try IPAddress(parsing: text)
        precondition((try? IPAddress(parsing: address.description)) == address, "address does not round-trip")
        precondition(IPPrefix(host: address).contains(address), "host prefix misses its address")
    } catch {
        checkError(error, text)
    }
    for bare in [false, true] {
        do {
            let prefix = try IPPrefix(parsing: text, allowingBareAddress: bare)
            precondition((try? IPPrefix(parsing: prefix.description)) == prefix, "prefix does not round-trip")
            precondition(prefix.contains(prefix.first) && prefix.contains(prefix.last), "prefix misses its ends")
            precondition(prefix.length >= 0 && prefix.length <= prefix.family.bitWidth, "length out of range")
        } catch {
            checkError(error, text)
        }
    }
    do {
        let range = try IPRange(parsing: text)
        precondition(range.first <= range.last, "range runs backwards")
        let prefixes = range.prefixes
        precondition(prefixes.first?.first == range.first && prefixes.last?.last == range.last, "cover is wrong")
        precondition(IPAddressSet(prefixes) == IPAddressSet([range]), "prefixes do not cover the range exactly")
    } catch {
        checkError(error, text)
    }
    do {
        let set = try IPAddressSet(parsingList: text)
        let again = try IPAddressSet(parsingList: set.prefixes.map(\.description).joined(separator: "\n"))
        precondition(again == set, "list does not round-trip")
    } catch {
        precondition(error.line >= 1 && error.line <= text.utf8.filter { $0 == 0x0A }.count + 1, "line outside")
        checkError(error.error, error.error.input)
    }
    return 0
}

/// The error's offset lies inside its input (or just past its end) and its message says something.
private func checkError(_ error: IPParseError, _ text: String) {
    precondition(error.input == text, "the error quotes other text")
    precondition(error.offset >= 0 && error.offset <= text.count, "offset outside the input")
    precondition(!error.message.isEmpty, "an error without words")
}
