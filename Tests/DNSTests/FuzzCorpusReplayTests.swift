import Foundation
import IPNet
import TestSupport
import Testing

@testable import DNS

/// The reply parser over the committed fuzz corpus (`fuzz/corpus/FuzzReplyParser`): real replies captured from
/// the test world and any crash input kept there, so a crash once found and fixed stays fixed in `.ci/run`.
@Suite("Reply parser over the fuzz corpus")
struct FuzzCorpusReplayTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("fuzz/corpus/FuzzReplyParser")

    static func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    /// The question's name, as the fuzz target picks it.
    static func questionName(_ bytes: [UInt8]) -> String {
        var reader = WireReader(bytes)
        reader.offset = 12
        return (try? reader.name()).flatMap { $0.isEmpty ? nil : $0 } ?? "www.example.test"
    }

    @Test("every corpus input parses as A and AAAA within the parser's promises")
    func everyInput() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files.count >= 90)
        for file in files {
            let bytes = try Self.bytes(file)
            for type in RecordType.allCases {
                let reply = ReplyParser.parse(bytes, name: Self.questionName(bytes), type: type)
                #expect(reply.chain.count <= ReplyParser.chainCap, "\(file)")
                #expect(reply.addresses.count <= ReplyParser.addressCap, "\(file)")
                #expect(reply.addresses.allSatisfy { $0.address.family == (type == .a ? .v4 : .v6) }, "\(file)")
                #expect(reply.addresses.allSatisfy { $0.ttl <= TTL.maximum }, "\(file)")
                #expect((reply.outcome == .ok) == !reply.addresses.isEmpty, "\(file)")
                #expect(reply.outcome != .badresponse || reply.detail != nil, "\(file)")
            }
        }
    }

    @Test("captured replies read as the world's zones say", arguments: [
        ("dns-www-a.bin", Outcome.ok, 2, "45.60.20.1 45.60.20.2"),
        ("dns-missing-a.bin", .nxdomain, 0, ""),
        ("dns-v4-aaaa.bin", .nodata, 0, ""),
        ("dns-deep-a.bin", .badresponse, ReplyParserLimits.chainCap, ""),
        ("faults-ptrloop-a.bin", .badresponse, 0, ""),
        ("faults-cnameloop-a.bin", .badresponse, 3, ""),
        ("faults-ttlhigh-a.bin", .ok, 0, "5.188.1.1"),
    ])
    func captured(file: String, outcome: Outcome, links: Int, addresses: String) throws {
        let bytes = try Self.bytes(file)
        let type: RecordType = file.hasSuffix("-aaaa.bin") ? .aaaa : .a
        let reply = ReplyParser.parse(bytes, name: Self.questionName(bytes), type: type)
        #expect(reply.outcome == outcome, "\(reply)")
        #expect(reply.chain.count == links, "\(reply.chain)")
        #expect(reply.addresses.map(\.address.description).joined(separator: " ") == addresses)
        if file == "faults-ttlhigh-a.bin" { #expect(reply.addresses.first?.ttl == 0) }
        if file == "dns-missing-a.bin" { #expect(reply.negativeTTL == 900) }
    }
}
