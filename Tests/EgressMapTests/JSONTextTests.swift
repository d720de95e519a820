import Foundation
import IPNet
import Testing

@testable import EgressMap

@Suite("JSON text")
struct JSONTextTests {
    @Test("durations keep at most three decimals, without trailing zeros", arguments: [
        (0.397, "0.397"), (0.2, "0.2"), (3.0, "3"), (0.0, "0"), (12.05, "12.05"), (0.0004, "0"),
        (0.0005, "0.001"), (0.0999, "0.1"), (1.9996, "2"), (-1.5, "-1.5"), (-0.0001, "0"), (250.125, "250.125"),
        (1e20, "1e+20"), (Double.nan, "null"), (Double.infinity, "null"),
    ])
    func decimals(value: Double, expected: String) {
        var json = JSONText()
        json.number(value)
        #expect(json.text == expected)
    }

    @Test("addresses written straight into the document", arguments: [
        ("0.0.0.0", #""0.0.0.0""#), ("255.255.255.255", #""255.255.255.255""#), ("10.20.3.100", #""10.20.3.100""#),
        ("2001:db8::1", #""2001:db8::1""#), ("::ffff:192.0.2.1", #""::ffff:192.0.2.1""#),
    ])
    func addresses(text: String, expected: String) throws {
        var json = JSONText(capacity: 16)  // the smallest: an address grows it
        json.fragment(#"{"a":"#)
        json.fragmentValue(try IPAddress(parsing: text))
        json.fragment("}")
        #expect(json.text == #"{"a":"# + expected + "}")
    }

    @Test("fragments add no commas; values after them are escaped and formatted as members are")
    func fragments() {
        var json = JSONText()
        json.beginArray()
        json.number(1)
        json.beginObject()
        json.fragment(#""s":"#)
        json.fragmentValue("tab\there")
        json.fragment(#","i":"#)
        json.fragmentValue(-12)
        json.fragment(#","u":"#)
        json.fragmentValue(UInt32.max)
        json.fragment(#","d":"#)
        json.fragmentValue(0.0996)
        json.endObject()
        json.number(2)
        json.endArray()
        #expect(json.text == #"[1,{"s":"tab\there","i":-12,"u":4294967295,"d":0.1},2]"#)
    }

    @Test("integers at their extremes", arguments: [
        (0, "0"), (7, "7"), (10, "10"), (-42, "-42"), (99, "99"), (100, "100"), (305, "305"), (-999, "-999"),
        (1000, "1000"), (1009, "1009"), (Int.max, "9223372036854775807"),
        (Int.min, "-9223372036854775808"),
    ])
    func integers(value: Int, expected: String) {
        var json = JSONText()
        json.number(value)
        #expect(json.text == expected)
    }

    @Test("commas separate members at every depth, and reset starts a new document")
    func nesting() throws {
        var json = JSONText()
        json.beginObject()
        json.key("a")
        json.beginArray()
        json.beginObject()
        json.number("x", 1)
        json.number("y", nil)
        json.endObject()
        json.beginArray()
        json.endArray()
        json.number(UInt32.max)
        json.endArray()
        json.string("b", "c")
        json.key("d")
        json.plainString { $0 += Array("10.0.0.1".utf8) }
        json.endObject()
        #expect(json.text == #"{"a":[{"x":1,"y":null},[],4294967295],"b":"c","d":"10.0.0.1"}"#)
        json.reset()
        json.beginArray()
        json.bool(true)
        json.bool(false)
        json.endArray()
        #expect(json.text == "[true,false]")
    }

    @Test("keys from literals and from strings escape alike")
    func keys() throws {
        let dynamic = "dyn\"amic"
        var json = JSONText()
        json.beginObject()
        json.key("li\"teral")
        json.null()
        json.key(dynamic)
        json.null()
        json.string("plain", "v")
        json.number(dynamic, 7)
        json.endObject()
        #expect(json.text == #"{"li\"teral":null,"dyn\"amic":null,"plain":"v","dyn\"amic":7}"#)
    }

    @Test("strings needing no escape and strings needing one, side by side", arguments: [
        "plain.example.com", "tab\there", "é and ✓", "line\u{2029}sep", "\u{1F}", "back\\slash", "",
    ])
    func strings(value: String) throws {
        var json = JSONText()
        json.beginArray()
        json.string(value)
        json.string("after")
        json.endArray()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String]
        #expect(decoded == [value, "after"])
        #expect(!json.bytes.contains { $0 < 0x20 })
    }

    @Test("a document many times its starting capacity grows and keeps every byte, and reset keeps going")
    func growth() throws {
        var json = JSONText(capacity: 16)
        var expected: [String] = []
        json.beginArray()
        for index in 0..<2_000 {
            json.beginObject()
            json.string("name", "host-\(index).example.test")
            json.number("ttl", UInt32(index))
            json.key("address")
            json.plainString { $0 += Array("10.0.\(index / 256).\(index % 256)".utf8) }
            json.endObject()
            expected.append(
                #"{"name":"host-\#(index).example.test","ttl":\#(index),"address":"10.0.\#(index / 256).\#(index % 256)"}"#
            )
        }
        json.endArray()
        #expect(json.text == "[" + expected.joined(separator: ",") + "]")
        json.reset()
        json.string("after")
        #expect(json.text == #""after""#)
    }
}
