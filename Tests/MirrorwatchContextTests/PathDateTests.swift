import Foundation
import MirrorwatchModel
import Testing

/// The date a file path names, read byte by byte: the shapes the regular expressions
/// `\d{4}-\d{2}-\d{2}([T_ ]\d{2}:?\d{2}(:?\d{2})?)?` and `\d{8}T\d{4}` matched, the last date in
/// the path counting (the file's own name over its folders').
@Suite struct PathDateTests {
    func date(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func readsEachShape() {
        #expect(Timestamp.inPath("rancid/2026-11-05/core-sw1.cfg") == date("2026-11-05T00:00:00Z"))
        #expect(Timestamp.inPath("relay-2026-11-03.log") == date("2026-11-03T00:00:00Z"))
        #expect(Timestamp.inPath("core-sw1.20261105T0600") == date("2026-11-05T06:00:00Z"))
        #expect(Timestamp.inPath("snap-2026-11-05T06:30.json") == date("2026-11-05T06:30:00Z"))
        #expect(Timestamp.inPath("snap-2026-11-05_0630.json") == date("2026-11-05T06:30:00Z"))
        #expect(Timestamp.inPath("snap-2026-11-05 06:30:15.json") == date("2026-11-05T06:30:15Z"))
        #expect(Timestamp.inPath("snap-2026-11-05T06:30:1.json") == date("2026-11-05T06:30:00Z"), "a second needs two digits")
        #expect(Timestamp.inPath("snap-2026-11-05T06:3.json") == date("2026-11-05T00:00:00Z"), "half a time: the date alone")
        #expect(Timestamp.inPath("snap-2026-11-05T0.json") == date("2026-11-05T00:00:00Z"))
        #expect(Timestamp.inPath("111122223333_CloudTrail_us-east-1_20261103T0005Z_0001.json") == date("2026-11-03T00:05:00Z"))
    }

    @Test func theLastDateCounts() {
        #expect(Timestamp.inPath("archive-2026-01-01/rancid/2026-11-05/core-sw1.cfg") == date("2026-11-05T00:00:00Z"))
        #expect(Timestamp.inPath("2026-01-01/core-sw1.20261105T0600") == date("2026-01-01T00:00:00Z"), "a dashed date wins over a stamp")
        #expect(Timestamp.inPath("a20261105T0600-20261107T0800") == date("2026-11-07T08:00:00Z"))
        // Matches do not overlap: the time of the first swallows the start of the next date.
        #expect(Timestamp.inPath("2026-11-05T1234-11-22") == date("2026-11-05T12:34:00Z"))
        #expect(Timestamp.inPath("12026-11-05.cfg") == date("2026-11-05T00:00:00Z"))
    }

    @Test func noDateOrAnImpossibleOne() {
        for path in ["core-sw1.cfg", "", "2026-1-05", "20261105T06", "2026-13-40.cfg", "2026-11-٠٥.cfg", "é/2026-11"] {
            let found = Timestamp.inPath(path)
            #expect(found == nil, "\(path)")
        }
        // An impossible last date is not replaced by an earlier one (as before: the last match is parsed).
        #expect(Timestamp.inPath("2026-11-05/2026-13-01.cfg") == nil)
    }

    /// `Timestamp.parse` reads the text's bytes in place: the shapes it takes, trailing blanks, a
    /// `UTC`/`GMT` suffix, and what it refuses.
    @Test func parsesInPlace() {
        let utc = Date(timeIntervalSince1970: 1_728_897_041)
        #expect(Timestamp.parse("2024-10-14T09:10:41Z") == utc)
        #expect(Timestamp.parse("2024-10-14T09:10:41Z   ") == utc)
        #expect(Timestamp.parse("2024-10-14 09:10:41 UTC") == utc)
        #expect(Timestamp.parse("2024-10-14T09:10:41GMT") == utc)
        #expect(Timestamp.parse("2024-10-14T11:10:41+02:00") == utc)
        #expect(Timestamp.parse("2024-10-14T09:10:41.5Z") == utc.addingTimeInterval(0.5))
        #expect(Timestamp.parse("2024-10-14") == Date(timeIntervalSince1970: 1_728_864_000))
        for bad in ["", "   ", "2024-10-14T09:10:41X", "2024-10-14T09:10:41UT", "2024-13-14", "2024-10-14T25:00:00Z", "2024-10-14T09:10:41Zx"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
        let bytes = Array("2024-10-14T09:10:41Z".utf8)
        #expect(bytes.withUnsafeBufferPointer { Timestamp.parse(utf8: $0) } == utc)
    }
}
