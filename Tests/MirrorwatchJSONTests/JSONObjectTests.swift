import MirrorwatchJSON
import Testing

/// Objects keep their members in the input's order, with a dictionary's rules for repeated names.
@Suite struct JSONObjectTests {
    @Test func repeatedNamesKeepTheLastValueAtTheFirstPosition() throws {
        let small = try JSONParser.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8))
        #expect(small.members.keys == ["a", "b"])
        #expect(small["a"]?.text == "3")
        // Past the size where repeats are found by scanning: a set finds them.
        let names = (0..<40).map { "k\($0)" } + ["k5", "k39"]
        let text = "{" + names.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
        let large = try JSONParser.parse(Array(text.utf8))
        #expect(large.members.count == 40)
        #expect(large.members.keys == (0..<40).map { "k\($0)" })
        #expect(large["k5"]?.text == "40" && large["k39"]?.text == "41" && large["k6"]?.text == "6")
    }

    /// Names are told apart by their bytes whatever the object's size: "K" and the Kelvin sign (U+212A),
    /// equal to Unicode, are two members.
    @Test func namesDifferingOnlyToUnicodeStayApart() throws {
        for filler in [0, 30] {
            let others = (0..<filler).map { "\"f\($0)\":0" }
            let text = "{" + (others + ["\"accessKeyId\":\"real\"", "\"access\u{212A}eyId\":\"forged\""]).joined(separator: ",") + "}"
            let value = try JSONParser.parse(text)
            #expect(value.members.count == filler + 2)
            #expect(value["accessKeyId"]?.text == "real", "\(filler) other members")
            #expect(value["access\u{212A}eyId"]?.text == "forged")
            let swapped = "{" + (others + ["\"access\u{212A}eyId\":\"real\"", "\"accessKeyId\":\"forged\""]).joined(separator: ",") + "}"
            #expect(try value != JSONParser.parse(swapped))
        }
    }

    @Test func equalityIgnoresOrder() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":{"c":[1,2]}}"#) == JSONParser.parse(#"{"b":{"c":[1,2]},"a":1}"#))
        #expect(try JSONParser.parse(#"{"a":1,"b":2}"#) != JSONParser.parse(#"{"a":1,"b":3}"#))
        #expect(try JSONParser.parse(#"{"a":1}"#) != JSONParser.parse(#"{"a":1,"b":2}"#))
        let many = (0..<30).map { "\"m\($0)\":\($0)" }
        #expect(try JSONParser.parse("{" + many.joined(separator: ",") + "}") == JSONParser.parse("{" + many.reversed().joined(separator: ",") + "}"))
        #expect(JSONObject(["x": .number("1"), "y": .null]) == ["y": .null, "x": .number("1")])
    }

    @Test func anExactNameWinsOverOneDifferingInCase() throws {
        let value = try JSONParser.parse(#"{"EventName":"folded","eventName":"exact"}"#)
        #expect(value.member(ignoringCase: "eventName")?.text == "exact")
        #expect(value.member(ignoringCase: "EVENTNAME")?.text == "folded", "the first name equal ignoring case")
    }

    @Test func settingAndRemovingMembers() {
        var object: JSONObject = ["a": .number("1")]
        object["b"] = .string("x")
        object["a"] = .number("2")
        #expect(object.keys == ["a", "b"] && object["a"] == .number("2"))
        object["a"] = nil
        #expect(object.keys == ["b"] && object.dictionary == ["b": .string("x")])
    }
}
