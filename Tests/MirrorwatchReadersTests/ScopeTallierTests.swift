import Foundation
import MirrorwatchModel
@testable import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// The coverage tally per scope (counts, earliest and latest times) equals a plain count, whatever
/// the mix of scopes: runs of one scope, many scopes interleaved (past the table's first size),
/// fields longer than the inline key, absent and empty fields.
@Suite struct ScopeTallierTests {
    struct Record { var account: String?; var region: String?; var time: String? }

    func tally(_ records: [Record], transform: ((String) -> String?)? = nil, readings: [Int]? = nil, padding: Bool = true) -> [TelemetryKey: TelemetryTally] {
        // The records laid out in one buffer, as a window of a log would be.
        var bytes: [UInt8] = []
        var ranges: [(Range<Int>?, Range<Int>?, Range<Int>?)] = []
        func add(_ text: String?) -> Range<Int>? {
            guard let text else { return nil }
            let start = bytes.count
            bytes += Array(text.utf8)
            if padding { bytes.append(0x2C) }
            return start..<(start + text.utf8.count)
        }
        for record in records { ranges.append((add(record.account), add(record.region), add(record.time))) }
        var coverage = TelemetryCoverage()
        bytes.withUnsafeBytes { buffer in
            var tallier = ScopeTallier()
            for (i, (account, region, time)) in ranges.enumerated() {
                tallier.note(account: account, region: region, time: time, in: buffer, account: readings.map { [transform, { $0.uppercased() }][$0[i]] } ?? transform,
                             reading: readings?[i] ?? 0)
            }
            tallier.settle(buffer)
            tallier.finish(platform: .aws, kind: .controlPlane, input: "log", into: &coverage)
        }
        return coverage.tallies
    }

    func expected(_ records: [Record], transform: ((String) -> String?)? = nil, readings: [Int]? = nil) -> [TelemetryKey: TelemetryTally] {
        var coverage = TelemetryCoverage()
        for (i, record) in records.enumerated() {
            let reading: ((String) -> String?)? = readings.map { [transform, { $0.uppercased() }][$0[i]] } ?? transform
            let account = record.account.flatMap { $0.isEmpty ? nil : (reading?($0) ?? $0) }
            let region = record.region.flatMap { $0.isEmpty ? nil : $0 }
            let time = record.time.flatMap { $0.isEmpty ? nil : Timestamp.parse($0) }
            coverage.note(TelemetryKey(platform: .aws, account: account, region: region, kind: .controlPlane), time: time, input: "log")
        }
        return coverage.tallies
    }

    /// The scopes whose tallies differ (a short list to report, not the whole tally).
    func differences(_ a: [TelemetryKey: TelemetryTally], _ b: [TelemetryKey: TelemetryTally]) -> [String] {
        Set(a.keys).union(b.keys).filter { key in
            guard let x = a[key], let y = b[key] else { return true }
            return x.records != y.records || x.first != y.first || x.last != y.last
        }.prefix(5).map { "\($0.account ?? "-") \($0.region ?? "-"): \(a[$0]?.records ?? 0) against \(b[$0]?.records ?? 0)" }
    }

    @Test func countsEveryMixOfScopes() {
        var random = SeededGenerator(state: 42)
        let accounts = (0..<150).map { String(format: "%012d", 100_000_000_000 + $0 * 7919) }
        let regions = ["us-east-1", "eu-west-3", "ap-southeast-2", "a-region-name-longer-than-24-bytes", ""]
        var records: [Record] = []
        for i in 0..<6000 {
            // Runs of one scope, then stretches where every record has another.
            let run = (i / 50) % 2 == 0
            let account = run ? accounts[(i / 50) % accounts.count] : accounts[Int(random.next() % UInt64(accounts.count))]
            let region = i % 97 == 0 ? nil : regions[Int(random.next() % UInt64(regions.count))]
            let minute = Int(random.next() % 600)
            let time = i % 89 == 0 ? nil : String(format: "2026-11-03T%02d:%02d:00Z", minute / 60, minute % 60)
            records.append(Record(account: i % 113 == 0 ? String(repeating: "9", count: 30) : account, region: region, time: time))
        }
        let counted = tally(records)
        #expect(differences(counted, expected(records)) == [])
        #expect(counted.count > 300)
        #expect(counted.values.reduce(0) { $0 + $1.records } == records.count)
    }

    /// A CloudTrail object's records: one account and region, with records of global services (no
    /// region) between them, and now and then a third scope that pushes one of the two out of the
    /// two held inline: every record counts for its own scope, with its times.
    @Test func twoScopesInTurnAndAThirdNowAndThen() {
        var random = SeededGenerator(state: 7)
        var records: [Record] = []
        for i in 0..<5000 {
            let second = i % 3600
            let time = String(format: "2026-11-03T%02d:%02d:%02dZ", 3 + second / 3600, second / 60 % 60, second % 60)
            switch random.next() % 10 {
            case 0, 1: records.append(Record(account: "111122223333", region: nil, time: time))
            case 2 where i % 7 == 0: records.append(Record(account: "444455556666", region: "eu-west-1", time: time))
            default: records.append(Record(account: "111122223333", region: "us-west-2", time: time))
            }
        }
        let counted = tally(records)
        #expect(differences(counted, expected(records)) == [])
        #expect(counted.count == 3)
    }

    /// Fields at the very end of the buffer (read byte by byte, not by word) are the same scope as
    /// the same fields elsewhere; a tallier is used again after `finish`.
    @Test func fieldsAtTheBufferEndAndReuse() {
        let records = (0..<40).map { Record(account: "11112222333\($0 % 3)", region: ["us-east-1", "eu-west-1"][$0 % 2], time: "2026-11-03T10:00:\(String(format: "%02d", $0))Z") }
            + [Record(account: "111122223330", region: "us-east-1", time: nil)]
        #expect(differences(tally(records, padding: false), expected(records)) == [])
        var bytes = Array("111122223330,us-east-1,".utf8)
        var coverage = TelemetryCoverage()
        bytes.withUnsafeBytes { buffer in
            var tallier = ScopeTallier()
            for _ in 0..<2 {
                tallier.note(account: 0..<12, region: 13..<22, time: nil, in: buffer)
                tallier.settle(buffer)
                tallier.finish(platform: .aws, kind: .controlPlane, input: "log", into: &coverage)
            }
        }
        bytes.removeAll()
        #expect(coverage.tallies.count == 1 && coverage.tallies.values.first?.records == 2)
    }

    /// An input read in many windows: each window's times are settled before it goes, and the input's
    /// earliest and latest times are those of all its windows (not of its last one), each scope
    /// counted once with every window's records.
    @Test func timesAndCountsSpanTheWindowsOfAnInput() {
        let windows = [["2026-11-03T10:00:05Z", "2026-11-03T09:59:59Z"], ["2026-11-03T10:30:00Z"], ["2026-11-03T08:00:00Z", "2026-11-03T10:00:00Z"], []]
        var tallier = ScopeTallier()
        var coverage = TelemetryCoverage()
        for times in windows {
            var bytes = Array("111122223333,us-east-1,".utf8)
            var ranges: [Range<Int>] = []
            for time in times {
                ranges.append(bytes.count..<(bytes.count + time.utf8.count))
                bytes += Array(time.utf8)
            }
            bytes.withUnsafeBytes { buffer in
                for range in ranges { tallier.note(account: 0..<12, region: 13..<22, time: range, in: buffer) }
                tallier.note(account: 0..<12, region: 13..<22, time: nil, in: buffer)
                tallier.settle(buffer)
            }
            // The window's bytes are gone (overwritten) before the next one is read.
            bytes.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0x39) }
        }
        tallier.finish(platform: .aws, kind: .controlPlane, input: "log", into: &coverage)
        #expect(coverage.tallies.count == 1)
        let tally = coverage.tallies.values.first
        #expect(tally?.records == 9)
        #expect(tally?.first == Timestamp.parse("2026-11-03T08:00:00Z"))
        #expect(tally?.last == Timestamp.parse("2026-11-03T10:30:00Z"))
    }

    /// A window's fields are never compared with the last record's of the window before: the same
    /// offsets in the next window holding another account are another scope.
    @Test func theLastRecordsFieldsGoWithItsWindow() {
        var tallier = ScopeTallier()
        var coverage = TelemetryCoverage()
        for account in ["111122223333", "444455556666", "444455556666"] {
            let bytes = Array((account + ",us-east-1,").utf8)
            bytes.withUnsafeBytes { buffer in
                tallier.note(account: 0..<12, region: 13..<22, time: nil, in: buffer)
                tallier.settle(buffer)
            }
        }
        tallier.finish(platform: .aws, kind: .controlPlane, input: "log", into: &coverage)
        #expect(coverage.tallies.count == 2)
        #expect(coverage.tallies.first { $0.key.account == "444455556666" }?.value.records == 2)
        #expect(coverage.tallies.first { $0.key.account == "111122223333" }?.value.records == 1)
    }

    /// A reader that reads account fields two ways (Azure: a subscription id, or a resource's owner)
    /// never gets the same bytes read the other way counted under the first reading's scope.
    @Test func readingsAreToldApart() {
        var random = SeededGenerator(state: 7)
        let records = (0..<400).map { _ in Record(account: ["ab", "cd", "ef"][Int(random.next() % 3)], region: nil, time: nil) }
        let readings = (0..<400).map { _ in Int(random.next() % 2) }
        let lower: (String) -> String? = { $0.lowercased() }
        let counted = tally(records, transform: lower, readings: readings)
        #expect(differences(counted, expected(records, transform: lower, readings: readings)) == [])
        #expect(counted.keys.contains { $0.account == "AB" } && counted.keys.contains { $0.account == "ab" })
    }

    @Test func transformsLongAccountsAsBefore() {
        let logs = (0..<40).map { "projects/project-\($0 % 7)/logs/cloudaudit.googleapis.com%2Factivity" }
        let records = logs.enumerated().map { Record(account: $1, region: nil, time: "2026-11-03T10:\(String(format: "%02d", $0)):00Z") }
        let project: (String) -> String? = { $0.split(separator: "/").dropFirst().first.map(String.init) }
        let counted = tally(records, transform: project)
        #expect(differences(counted, expected(records, transform: project)) == [])
        #expect(counted.count == 7)
    }
}
