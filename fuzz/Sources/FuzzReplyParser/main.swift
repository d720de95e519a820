// libFuzzer target: the DNS reply parser (`ReplyParser.parse`), fed raw reply bytes as a hostile server would
// send them. Compiled into one module with the DNS sources it needs (see scripts/fuzz.sh), so the internal
// parser is reachable without `@testable`.
import IPNet

/// One reply, parsed as the answer to an A and to an AAAA query for the name in its question section (or a
/// fixed name when the question cannot be read), with the parser's promises checked on the result.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplyParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    var question = WireReader(bytes)
    question.offset = 12
    let name = (try? question.name()).flatMap { $0.isEmpty ? nil : $0 } ?? "www.example.test"
    for type in RecordType.allCases {
        check(ReplyParser.parse(bytes, name: name, type: type), type: type)
    }
    return 0
}

/// Traps (a crash libFuzzer keeps) when a parsed reply breaks what callers rely on.
private func check(_ reply: ParsedReply, type: RecordType) {
    precondition(reply.chain.count <= ReplyParser.chainCap, "chain over the cap")
    precondition(reply.addresses.count <= ReplyParser.addressCap, "addresses over the cap")
    precondition(Set(reply.addresses.map(\.address)).count == reply.addresses.count, "duplicate addresses")
    for record in reply.addresses {
        precondition(record.ttl <= TTL.maximum, "TTL not clamped")
        precondition(record.address.family == (type == .a ? .v4 : .v6), "address of the wrong family")
    }
    for link in reply.chain { precondition(link.ttl <= TTL.maximum, "CNAME TTL not clamped") }
    if let ttl = reply.negativeTTL { precondition(ttl <= TTL.maximum, "negative TTL not clamped") }
    switch reply.outcome {
    case .ok: precondition(!reply.addresses.isEmpty && reply.rcode == 0, "ok without addresses")
    case .nodata: precondition(reply.addresses.isEmpty && reply.rcode == 0, "nodata with addresses")
    case .nxdomain: precondition(reply.addresses.isEmpty && reply.rcode == 3, "nxdomain with addresses")
    case .badresponse, .error: precondition(reply.detail != nil, "a failure without a reason")
    case .servfail, .refused: precondition(reply.addresses.isEmpty, "a failure with addresses")
    case .timeout: preconditionFailure("a parsed reply cannot time out")
    }
}
