import Foundation
import Testing
import TestSupport

/// `egressmap probe` against loopback: a listener and a bound port that does not listen, opened here.
@Suite("egressmap probe", .serialized)
struct ProbeCommandTests {
    @Test("bad pairs are each reported with the reason, exit 2, nothing probed")
    func badPairs() throws {
        let output = try runEgressmap(["probe", "127.0.0.1:99999", "example.com:443", "2001:db8::1:443", "127.0.0.1:1"])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.split(separator: "\n") == [
            #"egressmap: argument: "127.0.0.1:99999": port "99999"; expected a port from 1 to 65535"#,
            #"egressmap: argument: "example.com:443": "example.com" is not an IP address; expected an address "#
                + "(probe connects to addresses, not names: egressmap resolve gives a name's)",
            #"egressmap: argument: "2001:db8::1:443": an IPv6 address without brackets; expected [ADDRESS]:PORT, "#
                + "such as [2001:db8::1]:443",
        ])
    }

    @Test("pairs from a file pasted from Windows (BOM, CRLF), with comments: open and refused, by line")
    func pairsFromFile() throws {
        try LoopbackNetwork.prepare()
        let listening = try LoopbackSocket("127.0.0.1")
        let bound = try LoopbackSocket("127.0.0.1", listening: false)
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pairs.txt")
        let text = "\u{FEFF}# the listener\r\n127.0.0.1:\(listening.port)\r\n\r\n"
            + "127.0.0.1:\(bound.port)  # bound, not listening\r\n127.0.0.1:70000\r\n"
        try Data(text.utf8).write(to: file)

        let bad = try runEgressmap(["probe", "--input", file.path])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr
            == "egressmap: \(file.path):5: \"127.0.0.1:70000\": port \"70000\"; expected a port from 1 to 65535\n")

        try Data(text.replacingOccurrences(of: "127.0.0.1:70000\r\n", with: "").utf8).write(to: file)
        let output = try runEgressmap(["probe", "--input", file.path, "--probe-timeout", "2s"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = output.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let ports = [listening.port, bound.port]
        #expect(rows.map { $0.first } == ports.sorted().map { "127.0.0.1:\($0)" })
        let verdicts = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        #expect(verdicts["127.0.0.1:\(listening.port)"] == "open")
        #expect(verdicts["127.0.0.1:\(bound.port)"] == "refused")
        withExtendedLifetime((listening, bound)) {}
    }

    @Test("--probe-deadline: a pair still waiting then is an error with the detail deadline")
    func deadline() throws {
        try LoopbackNetwork.prepare()
        let output = try runEgressmap([
            "probe", "--probe-timeout", "10s", "--probe-deadline", "300ms", "\(LoopbackNetwork.dropped):443",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "\(LoopbackNetwork.dropped):443\terror\t1\t-\tdeadline\n")
        #expect(output.stderr.hasSuffix(": 1 error\n"), "\(output.stderr)")
    }

    @Test("a file that cannot be read is named, exit 2")
    func unreadableFile() throws {
        let output = try runEgressmap(["probe", "--input", "/nonexistent/pairs.txt"])
        #expect(output.status == 2)
        #expect(output.stderr == "egressmap: cannot read /nonexistent/pairs.txt: No such file or directory\n")
    }
}
