import IPNet
import Testing

@testable import Probe

@Suite("ADDRESS:PORT pairs")
struct ProbeTargetParsingTests {
    @Test(
        "IPv4, and IPv6 in brackets, with spaces around",
        arguments: [
            ("192.0.2.1:443", "192.0.2.1", 443), (" [2001:db8::1]:5223\t", "2001:db8::1", 5223),
            ("[::1]:65535", "::1", 65535), ("127.0.0.1:1", "127.0.0.1", 1),
        ] as [(String, String, UInt16)]
    )
    func valid(text: String, address: String, port: UInt16) throws {
        #expect(try ProbeTarget(parsing: text) == ProbeTarget(try IPAddress(parsing: address), port))
    }

    @Test(
        "each wrong pair says what is wrong and what was expected",
        arguments: [
            ("127.0.0.1", #""127.0.0.1": no port; expected ADDRESS:PORT, such as 192.0.2.1:443 or [2001:db8::1]:443"#),
            ("127.0.0.1:99999", #""127.0.0.1:99999": port "99999"; expected a port from 1 to 65535"#),
            ("127.0.0.1:0", #""127.0.0.1:0": port "0"; expected a port from 1 to 65535"#),
            ("127.0.0.1:https", #""127.0.0.1:https": port "https"; expected a port from 1 to 65535"#),
            ("2001:db8::1:443", #""2001:db8::1:443": an IPv6 address without brackets; expected [ADDRESS]:PORT, "#
                + "such as [2001:db8::1]:443"),
            ("[::1:443", #""[::1:443": no closing bracket; expected [ADDRESS]:PORT"#),
            ("[::1]443", #""[::1]443": no port after the bracket; expected [ADDRESS]:PORT"#),
            ("example.com:443", #""example.com:443": "example.com" is not an IP address; expected an address "#
                + "(probe connects to addresses, not names: egressmap resolve gives a name's)"),
        ]
    )
    func invalid(text: String, message: String) {
        #expect(throws: ProbeTargetError.self) { try ProbeTarget(parsing: text) }
        do {
            _ = try ProbeTarget(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }
}
