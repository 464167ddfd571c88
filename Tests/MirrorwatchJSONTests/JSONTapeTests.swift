import Testing
@testable import MirrorwatchJSON
import MirrorwatchTestSupport

/// The tape accepts exactly what `JSONParser` accepts and reads the same values and members from
/// it, on hand-written texts, on every cut of them and on seeded random damage.
@Suite struct JSONTapeTests {
    static let samples: [String] = [
        #"{"a": [1, -2.5e3, true, false, null, "x"], "b": {"VirtualNetworkId": 12348395}, "": ""}"#,
        #"["q\"b\\s\/n\n\t\r\b\f", "\u00e9\ud83d\ude00", "\ud800", "\ud800\u0041", "é and 😀 raw"]"#,
        #"{"eventName":"AssumeRole","EventName":"x","eventname":"y","eventName":"last","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#,
        #"{"Name":"first","name":"second","NAME":"third","Name":"again"}"#,
        #"{"na\u006de":"escaped name","name":"plain","n\"q":1}"#,
        #" {"nested":{"deeper":{"deepest":[[[]],{}]}}, "e":[], "o":{}} "#,
        #"{"requestParameters":"{\"roleArn\":\"arn:aws:iam::1:role/r\"}","flag":"TRUE","no":"False","n":-0.5e-3}"#,
        #"-12"#, #"true"#, #""plain""#, #"[]"#,
    ]

    /// Whether `JSONParser` accepts `bytes`, its value, and the tape's verdict and value.
    func both(_ bytes: [UInt8]) -> (parser: JSONValue?, tape: JSONValue?, accepted: Bool) {
        bytes.withUnsafeBytes { raw in
            let parsed = try? JSONParser.parse(raw)
            var tape = JSONTape()
            let accepted = tape.index(raw)
            return (parsed, tape.withRoot(of: raw) { $0.value }, accepted)
        }
    }

    /// Indexes `bytes` (which must be accepted) and calls `body` with the root.
    func withRoot(_ bytes: [UInt8], _ body: (JSONTape.Node) -> Void) {
        bytes.withUnsafeBytes { raw in
            var tape = JSONTape()
            let accepted = tape.index(raw)
            #expect(accepted, "\(String(decoding: bytes, as: UTF8.self))")
            _ = tape.withRoot(of: raw, body)
        }
    }

    func expectSame(_ bytes: [UInt8], _ comment: Comment) {
        let (parsed, taped, accepted) = both(bytes)
        #expect(accepted == (parsed != nil), comment)
        #expect(taped == parsed, comment)
    }

    @Test func acceptsAndReadsWhatTheParserDoes() {
        for sample in Self.samples { expectSame(Array(sample.utf8), "\(sample)") }
        #expect(both(Array(Self.samples[0].utf8)).accepted)
    }

    @Test func rejectsWhatTheParserRejectsAtEveryCut() {
        for sample in Self.samples {
            let bytes = Array(sample.utf8)
            for cut in 0..<bytes.count { expectSame(Array(bytes[..<cut]), "\(sample) cut at \(cut)") }
        }
    }

    @Test func agreesOnSeededDamage() {
        var random = SeededGenerator(state: 0x7A9E)
        let alphabet = Array(#"{}[]":,\ u0aZ-.eE+tfn"#.utf8) + [0x00, 0x0A, 0x1F, 0xC3, 0xFF]
        var rejected = 0, accepted = 0
        for sample in Self.samples {
            let bytes = Array(sample.utf8)
            for _ in 0..<300 {
                var damaged = bytes
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0..<damaged.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: damaged[at] = alphabet.randomElement(using: &random)!
                    case 1: damaged.insert(alphabet.randomElement(using: &random)!, at: at)
                    default: if damaged.count > 1 { damaged.remove(at: at) }
                    }
                }
                let (parsed, _, _) = both(damaged)
                if parsed == nil { rejected += 1 } else { accepted += 1 }
                expectSame(damaged, "\(String(decoding: damaged, as: UTF8.self))")
            }
        }
        // Both verdicts were exercised.
        #expect(rejected > 500 && accepted > 100)
    }

    @Test func nestingLimitIsTheParsers() {
        let limit = JSONParser.maximumDepth
        expectSame(Array((String(repeating: "[", count: limit) + String(repeating: "]", count: limit)).utf8), "at the limit")
        expectSame(Array((String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)).utf8), "past the limit")
        #expect(both(Array((String(repeating: "[", count: limit) + String(repeating: "]", count: limit)).utf8)).accepted)
        #expect(!both(Array((String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)).utf8)).accepted)
    }

    /// Members, text and booleans read from the tape are those `JSONValue` gives: exact names
    /// before names equal ignoring case, the last value of a repeated name, escaped names unescaped.
    @Test func readsMembersAsJSONValueDoes() throws {
        let names = ["eventName", "EVENTNAME", "eventname", "userIdentity", "name", "Name", "nAmE", "n\"q", "na", "requestParameters",
                     "flag", "no", "n", "missing", ""]
        for sample in Self.samples where sample.hasPrefix("{") {
            let bytes = Array(sample.utf8)
            let value = try JSONParser.parse(bytes)
            withRoot(bytes) { root in
                for name in names {
                    let expected = value.member(ignoringCase: name)
                    let found = root.member(ignoringCase: name)
                    #expect(found?.value == expected, "\(name) in \(sample)")
                    #expect(found?.text == expected?.text, "\(name) in \(sample)")
                    #expect(found?.bool == expected?.bool, "\(name) in \(sample)")
                    // Whatever `unwrappingEmbeddedJSON` would decode, the tape says it holds JSON text.
                    if let expected, expected.unwrappingEmbeddedJSON != expected { #expect(found?.holdsEmbeddedJSON == true, "\(name)") }
                }
                #expect(root.at("userIdentity", "ARN")?.text == value.at("userIdentity", "ARN")?.text)
                // Looked up together, in one pass: each as it is alone (on the tape and on the tree).
                let together = JSONMemberNames(names)
                #expect(root.members(ignoringCase: together).map { $0?.value } == names.map { value.member(ignoringCase: $0) }, "\(sample)")
                #expect(value.members(ignoringCase: together) == names.map { value.member(ignoringCase: $0) })
                // Names no two of which are equal ignoring case: each member's name is looked up (the
                // exact spelling, then in lower case) instead of compared with every name; same answers.
                let apart = JSONMemberNames(["eventName", "userIdentity", "Name", "n\"q", "na", "requestParameters", "flag", "no", "n", "missing", ""])
                #expect(apart.foldsApart)
                #expect(root.members(ignoringCase: apart).map { $0?.value } == apart.names.map { value.member(ignoringCase: $0) }, "\(sample)")
            }
        }
        // The spot checks the loop stands on.
        let repeated = try JSONParser.parse(Self.samples[3])
        #expect(repeated.member(ignoringCase: "name")?.text == "second")
        #expect(repeated.member(ignoringCase: "nAmE")?.text == "again")
        #expect(repeated.member(ignoringCase: "NAME")?.text == "third")
        let embedded = try JSONParser.parse(Self.samples[6])
        #expect(embedded.member(ignoringCase: "requestParameters")?.unwrappingEmbeddedJSON != embedded.member(ignoringCase: "requestParameters"))
    }

    /// A member's name found ignoring ASCII case at every length (lowered eight bytes at a time, then
    /// one by one), with the bytes on both sides of `A`...`Z` and `a`...`z` kept as they are.
    @Test func namesMatchIgnoringCaseAtEveryLength() {
        var random = SeededGenerator(state: 5)
        let alphabet = Array("@AZ[`az{09_-".utf8) + Array(0x41...0x5A) + Array(0x61...0x7A)
        for length in 1...40 {
            for _ in 0..<20 {
                let name = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                // The name asked for in lower case; the member spelled with every letter's case flipped at random.
                let names = JSONMemberNames([String(decoding: lowered, as: UTF8.self), "other"])
                let spelled = name.map { $0 >= 0x61 && $0 <= 0x7A && random.next() % 2 == 0 ? $0 & ~0x20 : $0 }
                let found = spelled.withUnsafeBytes { names.match(of: $0) }
                #expect(found?.position == 0, "\(String(decoding: spelled, as: UTF8.self))")
                #expect(found?.exact == (spelled == lowered))
                // One byte moved across a case boundary (`@` and `A`, `Z` and `[`, `` ` `` and `a`, `z` and `{`) is another name.
                var near = spelled
                let at = Int(random.next() % UInt64(length))
                near[at] = [0x40: 0x41, 0x41: 0x40, 0x5A: 0x5B, 0x5B: 0x5A, 0x60: 0x61, 0x61: 0x60, 0x7A: 0x7B, 0x7B: 0x7A][near[at]] ?? near[at] ^ 0x01
                let nearLowered = near.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                #expect(near.withUnsafeBytes { names.match(of: $0) }?.position == (nearLowered == lowered ? 0 : nil))
            }
        }
    }

    /// Names that are not plain ASCII are compared as the text the parser makes of them: invalid
    /// UTF-8 (replaced by U+FFFD, so two different bytes make one name), escapes, non-ASCII letters.
    @Test func readsNamesAsTextWhenNotPlain() throws {
        let texts: [[UInt8]] = [
            Array(#"{""#.utf8) + [0xFF] + Array(#"":1,""#.utf8) + [0xFE] + Array(#"":2,"x":3}"#.utf8),
            Array(#"{"NAME":1,"N\u0041ME":2,"name":3,"nAmE":4}"#.utf8),
            Array(#"{"ÉTÉ":1,"été":2,"\u00c9T\u00c9":3}"#.utf8),
        ]
        let keys = ["\u{FFFD}", "x", "name", "NAME", "Name", "ÉTÉ", "été", "ete"]
        for bytes in texts {
            let value = try JSONParser.parse(bytes)
            withRoot(bytes) { root in
                #expect(root.value == value)
                for key in keys { #expect(root.member(ignoringCase: key)?.value == value.member(ignoringCase: key), "\(key)") }
                #expect(root.members(ignoringCase: JSONMemberNames(keys)).map { $0?.value } == keys.map { value.member(ignoringCase: $0) })
            }
        }
        // The spot checks: two invalid bytes are one name (the last value), an escaped repeat replaces the first.
        #expect(try JSONParser.parse(texts[0]).member(ignoringCase: "\u{FFFD}")?.text == "2")
        #expect(try JSONParser.parse(texts[1]).member(ignoringCase: "NAME")?.text == "2")
    }

    @Test func nestingLimitHoldsForObjects() {
        let limit = JSONParser.maximumDepth
        for depth in [limit, limit + 1] {
            let text = String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
            expectSame(Array(text.utf8), "depth \(depth)")
            #expect(both(Array(text.utf8)).accepted == (depth <= limit))
        }
    }

    @Test func embeddedJSONIsSeenBothWays() throws {
        let text = #"{"a":" {\"k\":1}","b":"[1,2]","c":"{oops","d":"plain","e":{"k":1},"f":" [ "}"#
        let value = try JSONParser.parse(text)
        withRoot(Array(text.utf8)) { root in
            for key in ["a", "b", "c", "d", "e", "f"] {
                let holds = root.member(ignoringCase: key)?.holdsEmbeddedJSON ?? false
                let member = value.member(ignoringCase: key)!
                // What the decoded path would unwrap is always seen; what is seen starts like JSON text.
                if member.unwrappingEmbeddedJSON != member { #expect(holds, "\(key)") }
                #expect(holds == ["a", "b", "c", "f"].contains(key), "\(key)")
            }
        }
    }

    /// `int` and `elements` (EC2's lists: arrays, one-item `{"item": ...}` objects, null, "") read
    /// as on the decoded tree, at every value of every sample; a number out of range is nil, not a trap.
    @Test func readsNumbersAndListsAsJSONValueDoes() throws {
        let lists = [
            #"{"items":[{"a":1},{"a":"2"}],"one":{"item":{"a":3}},"cap":{"Item":[4,5]},"two":{"item":1,"x":2},"again":{"item":1,"item":[6,7]}}"#,
            #"{"n":[0,-7,2.9,-2.9,1e3,1e400,-1e400,9223372036854775807,9223372036854775808,"12","1.5","x",null,"",true,{},[]]}"#,
            #"{"item":{"item":{"item":"deep"}},"items":null,"e":"","l":{"ITEM":1},"\u0069tem":{"item":2}}"#,
        ]
        func compare(_ node: JSONTape.Node, _ value: JSONValue, _ path: String) {
            #expect(node.int == value.int, "\(path)")
            #expect(node.elements.map(\.value) == value.elements, "\(path)")
            switch value {
            case .array(let items):
                for (i, item) in items.enumerated() { compare(node.elements[i], item, path + "[\(i)]") }
            case .object(let object):
                for key in object.keys { if let member = node.member(ignoringCase: key) { compare(member, value.member(ignoringCase: key)!, path + "." + key) } }
            default: break
            }
        }
        for sample in Self.samples + lists {
            let bytes = Array(sample.utf8)
            let value = try JSONParser.parse(bytes)
            withRoot(bytes) { compare($0, value, sample) }
        }
        let numbers = try JSONParser.parse(lists[1]).member(ignoringCase: "n")!.elements
        #expect(numbers.map(\.int) == [0, -7, 2, -2, 1000, nil, nil, Int.max, nil, 12, nil, nil, nil, nil, nil, nil, nil])
        let one = try JSONParser.parse(lists[0])
        #expect(one.member(ignoringCase: "one")?.elements.count == 1 && one.member(ignoringCase: "two")?.elements.count == 1)
        #expect(one.member(ignoringCase: "again")?.elements == [.number("6"), .number("7")])
    }

    @Test func oneTapeServesRecordAfterRecord() {
        var tape = JSONTape()
        for text in [#"{"a":"one"}"#, "{broken", #"{"a":"two","b":[1,2,3]}"#] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { raw in
                let accepted = tape.index(raw)
                let a = tape.withRoot(of: raw) { $0.member(ignoringCase: "a")?.text }
                #expect(accepted == (text != "{broken"))
                #expect(a == (accepted ? (text.contains("one") ? "one" : "two") : nil))
            }
        }
    }
}
