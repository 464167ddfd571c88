import Testing
@testable import MirrorwatchJSON

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentsKeepingNumberText() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, null, "x"], "b": {"VirtualNetworkId": 12348395}}"#)
        #expect(value["a"]?.elements.count == 5)
        #expect(value["a"]?.elements[1] == .number("-2.5e3"))
        #expect(value["b"]?["VirtualNetworkId"]?.text == "12348395")
        #expect(value["a"]?.elements[3].isNull == true)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"["q\"b\\s\/n\n", "\u00e9\ud83d\ude00"]"#)
        #expect(value.elements[0].text == "q\"b\\s/n\n")
        #expect(value.elements[1].text == "é😀")
    }

    @Test func looksUpMembersIgnoringCase() throws {
        let value = try JSONParser.parse(#"{"trafficMirrorTargetId": "tmt-1", "Item": 1}"#)
        #expect(value.member(ignoringCase: "TrafficMirrorTargetId")?.text == "tmt-1")
        #expect(value.member(anyOf: "nope", "TRAFFICMIRRORTARGETID")?.text == "tmt-1")
    }

    @Test func collapsedItemListsReadAsArrays() throws {
        let value = try JSONParser.parse(#"{"item": [{"a": 1}, {"a": 2}]}"#)
        #expect(value.elements.count == 2)
    }

    @Test(arguments: [
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"{"a": [1, 2}"#, 11, "expected ',' or ']'"),
        (#"{"a": "unterminated"#, 19, "unterminated string"),
        (#"[1, 2] x"#, 7, "unexpected data after"),
        ("{\"a\": \"tab\there\"}", 10, "control character"),
        (#"{"a": tru}"#, 6, "invalid literal"),
    ])
    func reportsErrorsWithOffsets(text: String, offset: Int, reason: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.reason.contains(reason)
        }
    }

    @Test func rejectsPathologicalNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func replacesInvalidUTF8InsteadOfFailing() throws {
        let bytes: [UInt8] = Array(#"{"a": ""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}"#.utf8)
        let value = try JSONParser.parse(bytes)
        #expect(value["a"]?.text?.contains("\u{FFFD}") == true)
    }
}

@Suite struct JSONWriterTests {
    @Test func writesEscapedStableJSON() throws {
        var w = JSONWriter()
        w.beginObject()
        w.string("s", "a\"b\n\u{01}")
        w.int("n", 3)
        w.null("z")
        w.beginArray("l"); w.bool(nil, true); w.endArray()
        w.endObject()
        #expect(w.output == #"{"s":"a\"b\n\u0001","n":3,"z":null,"l":[true]}"#)
        let back = try JSONParser.parse(w.output)
        #expect(back["s"]?.text == "a\"b\n\u{01}")
    }
}

/// Members skipped by name are passed over at any depth, whatever their value, and nothing else changes.
@Suite struct JSONParserSkippingTests {
    let skip = ByteStringSet(["sessionToken", "tlsDetails", "n"])

    func parse(_ text: String, skipping: ByteStringSet?) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in try JSONParser.parse(raw, skipping: skipping) }
    }

    @Test func skippedMembersAreAbsentAndTheRestIsAsWithoutSkipping() throws {
        let text = #"""
            {"a":1,"tlsDetails":{"tlsVersion":"TLSv1.3","x":[1,{"y":"}]\""}]},"b":"keep \"me\"",
             "responseElements":{"credentials":{"accessKeyId":"ASIA1","sessionToken" : "IQo\\JbW9\"uZ}]",
             "expiration":"2026"},"n":true,"m":null},"n":-1.5e3,"c":[{"n":"x","d":4}],"z":"end"}
            """#
        let skipped = try parse(text, skipping: skip)
        let full = try parse(text, skipping: nil)
        #expect(skipped["tlsDetails"] == nil && skipped["n"] == nil)
        #expect(skipped["responseElements"]?["credentials"]?["sessionToken"] == nil)
        #expect(skipped["responseElements"]?["credentials"]?["accessKeyId"]?.text == "ASIA1")
        #expect(skipped["responseElements"]?["credentials"]?["expiration"]?.text == "2026")
        #expect(skipped["responseElements"]?["n"] == nil && skipped["responseElements"]?["m"] == .null)
        #expect(skipped["c"]?.elements.first?["n"] == nil && skipped["c"]?.elements.first?["d"]?.text == "4")
        // Everything not skipped is exactly as a full parse has it.
        for key in ["a", "b", "z"] { #expect(skipped[key] == full[key], "\(key)") }
        #expect(skipped["b"]?.text == #"keep "me""#)
    }

    @Test func aSkippedValueMustStillEnd() {
        #expect(throws: JSONParseError.self) { try parse(#"{"tlsDetails":{"a":"open}"#, skipping: skip) }
        #expect(throws: JSONParseError.self) { try parse(#"{"sessionToken":"never closed}"#, skipping: skip) }
        #expect(throws: JSONParseError.self) { try parse(#"{"n" 1}"#, skipping: skip) }
    }

    @Test func controlCharactersInStringsAreStillRefused() {
        #expect(throws: JSONParseError.self) { try parse("{\"a\":\"tab\there and more than eight bytes\"}", skipping: nil) }
        #expect(throws: JSONParseError.self) { try parse("{\"a\":\"x\u{01}\"}", skipping: nil) }
        #expect((try? parse("{\"a\":\"caf\u{e9} \u{1F600} and more text\"}", skipping: nil))?["a"]?.text == "caf\u{e9} \u{1F600} and more text")
    }
}
