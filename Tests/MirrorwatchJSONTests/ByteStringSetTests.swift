#if canImport(Glibc)
import Glibc
#endif
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

    /// Names that differ only in the case of their last bytes (CloudTrail's and Lake's spellings of
    /// the same member) get slots of their own: the hash once sent `recipientAccountId` and
    /// `recipientaccountid` to one slot whatever the seed, so the record walk's table probed on
    /// every name it did not watch.
    @Test func caseSpellingsOfOneNameGetSlotsOfTheirOwn() {
        let keys = ["eventName", "eventname", "detail-type", "recipientAccountId", "recipientaccountid", "account",
                    "awsRegion", "awsregion", "region", "eventTime", "eventtime", "time", "eventSource", "eventsource"]
        let set = ByteStringSet(keys)
        #expect(set.isCollisionFree)
        for (position, key) in keys.enumerated() { #expect(index(set, key) == position, "\(key)") }
        let pairs = ByteStringSet(["sourceIPAddress", "sourceipaddress", "userIdentity", "useridentity", "requestParameters", "requestparameters"])
        #expect(pairs.isCollisionFree)
    }

    /// Names of 17 to 40 bytes whose first and last eight bytes agree are told apart by the bytes
    /// between (compared in place up to 32 bytes, with `memcmp` beyond): a difference at every
    /// position of the middle is seen.
    @Test func longNamesDifferingOnlyInTheMiddle() {
        for length in 17...40 {
            let name = (0..<length).map { i in Character(UnicodeScalar(UInt8(0x61 + i % 26))) }
            let set = ByteStringSet([String(name), "sts.amazonaws.com", "organizations.amazonaws.com"])
            #expect(index(set, String(name)) == 0, "\(length)")
            for at in 8..<(length - 8) {
                var other = name
                other[at] = "Z"
                #expect(index(set, String(other)) == nil, "length \(length), byte \(at)")
            }
        }
        let sources = ByteStringSet(["ec2.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com", "secretsmanager.amazonaws.com"])
        #expect(index(sources, "sts.amazonaws.com") == 1 && index(sources, "organizations.amazonaws.com") == 2)
        #expect(index(sources, "stz.amazonaws.com") == nil && index(sources, "organizations.amazonAws.com") == nil)
    }

    /// Hundreds of strings sharing lengths, first and last bytes (long probe chains in the table),
    /// a repeated string (its first position wins) and near misses.
    @Test func manyLookalikeStringsAndRepeats() {
        var strings: [String] = []
        for k in 0..<400 { strings.append("TrafficMirror" + String(repeating: "x", count: k % 23) + "\(k)" + "Id") }
        strings.append(strings[7])
        let set = ByteStringSet(strings)
        for (position, string) in strings.enumerated().dropLast() { #expect(index(set, string) == position, "\(string)") }
        #expect(index(set, strings[7]) == 7)
        for k in 0..<400 { #expect(index(set, "TrafficMirror" + String(repeating: "x", count: k % 23) + "\(k)" + "ID") == nil) }
    }

    /// Strings are told apart by their bytes: two spellings of `é` (one code point, or `e` and a
    /// combining accent) are equal as Swift strings but are two entries; a byte-identical repeat is not.
    @Test func stringsAreComparedAsBytes() {
        let strings = ["caf\u{E9}", "cafe\u{301}", "caf\u{E9}", "", "eventName", "eventTime", "awsRegion"]
        let set = ByteStringSet(strings)
        #expect(index(set, "caf\u{E9}") == 0)
        #expect(index(set, "cafe\u{301}") == 1)
        #expect(index(set, "") == 3)
        for (position, name) in [(4, "eventName"), (5, "eventTime"), (6, "awsRegion")] { #expect(index(set, name) == position) }
        for absent in ["cafe", "caf", "userAgent", "requestID", "eventType"] { #expect(index(set, absent) == nil, "\(absent)") }
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

/// In-place comparisons of short byte strings agree with `memcmp` (sign) at every length.
@Suite struct ShortBytesTests {
    @Test func equalityAndOrderAgreeWithMemcmp() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            for _ in 0..<50 {
                let a = (0..<length).map { _ in UInt8.random(in: 0x2F...0x3A, using: &generator) }
                var b = a
                if length > 0, Bool.random(using: &generator) { b[Int.random(in: 0..<length, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
                a.withUnsafeBytes { x in
                    b.withUnsafeBytes { y in
                        let expected = length == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, length)
                        let px = x.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, py = y.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                        #expect(ShortBytes.equal(px, py, count: length) == (expected == 0))
                        #expect(ShortBytes.compare(px, py, count: length).signum() == Int(expected).signum(), "\(a) \(b)")
                    }
                }
            }
        }
    }
}
