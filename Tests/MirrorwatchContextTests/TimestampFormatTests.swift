import Foundation
import MirrorwatchModel
import Testing

/// Times are written digit by digit for four-digit years: the same text `String(format:)` gives,
/// for every day of several centuries, every second of a day, and years outside 0...9999.
@Suite struct TimestampFormatTests {
    func reference(_ date: Date) -> String {
        let total = Int(floor(date.timeIntervalSince1970))
        let days = Int(floor(Double(total) / 86400))
        let secs = total - days * 86400
        let civil = Calendar(identifier: .gregorian)
        var utc = civil
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days * 86400)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!, secs / 3600, (secs / 60) % 60, secs % 60)
    }

    @Test func writesWhatFormatWrites() {
        var checked = 0
        // Every 7th day from 1900 to 2200, at a moving second of the day, and fractions below a second.
        var t = -2_208_988_800.0
        while t < 7_258_118_400 {
            let date = Date(timeIntervalSince1970: t + Double((checked * 7919) % 86400) + 0.75)
            #expect(Timestamp.format(date) == reference(date))
            checked += 1
            t += 7 * 86400
        }
        #expect(checked > 15_000)
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_728_897_041)) == "2024-10-14T09:10:41Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -62_167_219_200)) == "0000-01-01T00:00:00Z")
    }

    /// A date that does not exist is no date: every day of 1899-2101 parses to the day `format`
    /// writes back, and the 29th, 30th and 31st that months lack do not parse.
    @Test func parsesOnlyDaysThatExist() {
        var day = Date(timeIntervalSince1970: -2_240_524_800)  // 1899-01-01
        while day.timeIntervalSince1970 < 4_133_980_800 {      // 2101-01-01
            let text = String(Timestamp.format(day).prefix(10))
            #expect(Timestamp.parse(text) == day, "\(text)")
            day = day.addingTimeInterval(86400)
        }
        for text in ["2027-02-31", "2027-02-29", "2100-02-29", "2027-04-31", "2027-06-31", "2027-09-31", "2027-11-31", "2027-01-32", "2027-01-00"] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        for text in ["2028-02-29", "2000-02-29", "2027-12-31", "2027-01-31"] { #expect(Timestamp.parse(text) != nil, "\(text)") }
    }
}
