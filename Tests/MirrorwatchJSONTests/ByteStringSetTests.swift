import MirrorwatchJSON
import Testing

/// The byte-string set on the hot paths, and case-insensitive member lookup.
@Suite struct ByteStringSetTests {
    func index(_ set: ByteStringSet, _ text: String) -> Int? {
        Array(text.utf8).withUnsafeBytes { set.index(of: 0..<$0.count, in: $0) }
    }

    @Test func findsEachStringAtItsGivenPositionWhateverItsLength() {
        let long = String(repeating: "x", count: 70), longer = String(repeating: "x", count: 69) + "y"
        let strings = ["eventName", "eventname", "awsRegion", "region", "a", "", "recipientAccountId", long, longer, "TrafficMirrorTargetId"]
        let set = ByteStringSet(strings)
        #expect(set.count == strings.count)
        for (position, string) in strings.enumerated() { #expect(index(set, string) == position, "\(string)") }
        for absent in ["eventNamf", "EventName", "regio", "b", String(repeating: "x", count: 71), String(repeating: "x", count: 64), "TrafficMirrorTargetIe"] {
            #expect(index(set, absent) == nil, "\(absent)")
        }
        #expect(index(ByteStringSet([]), "anything") == nil)
    }

    @Test func membersAreFoundIgnoringASCIICaseOnly() throws {
        let value = try JSONParser.parse(Array(#"{"trafficMirrorTargetId":"tmt-1","Key@":1,"café":2}"#.utf8))
        #expect(value.member(ignoringCase: "TrafficMirrorTargetId")?.text == "tmt-1")
        #expect(value.member(ignoringCase: "trafficmirrortargetid")?.text == "tmt-1")
        #expect(value.member(ignoringCase: "TrafficMirrorTargetIdX") == nil)
        #expect(value.member(ignoringCase: "trafficMirrorTargetIe") == nil)
        #expect(value.member(ignoringCase: "KEY@")?.text == "1")
        #expect(value.member(ignoringCase: "key`") == nil, "0x40 and 0x60 are not a case pair")
        #expect(value.member(ignoringCase: "CAFÉ") == nil, "only ASCII letters fold")
        #expect(value.member(ignoringCase: "Café")?.text == "2")
    }
}
