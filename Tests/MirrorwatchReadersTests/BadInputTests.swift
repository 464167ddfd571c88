import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Bad input is reported with file and position, and everything else is still read.
@Suite struct BadInputTests {
    let good = CT.createSession("tms-ok", eni: "eni-1", target: "tmt-1", filter: "tmf-1")

    @Test func malformedRecordInsideRecordsArray() throws {
        let text = #"{"Records":[{"eventVersion":"1.09","eventName":"CreateTrafficMirrorSession","eventTime":"2026-11-03T09:00:00Z","requestParameters":{"x": tru}},"#
            + CT.json(good) + "]}"
        let result = readInput("broken.json", text)
        #expect(result.changes.map(\.resourceId) == ["tms-ok"])
        #expect(result.report.skipped == 1)
        let issue = try #require(result.report.issues.first)
        #expect(issue.input.hasSuffix("broken.json"))
        #expect(issue.position.contains("record 0"))
        #expect(issue.position.contains("byte"))
    }

    @Test func malformedJSONLineAmongGoodOnes() throws {
        let text = CT.json(CT.other("GetObject")) + "\n{\"eventName\": \"CreateTrafficMirrorTarget\", oops\n" + CT.json(good) + "\n"
        let result = readInput("lines.jsonl", text)
        #expect(result.changes.map(\.resourceId) == ["tms-ok"])
        #expect(result.report.skipped >= 1)
        #expect(result.report.issues.contains { $0.position.contains("line 2") })
    }

    @Test func truncatedGzipKeepsWhatWasInflated() throws {
        let dir = TemporaryDirectory()
        let records = (0..<2000).map { _ in CT.other("GetObject") } + [good]
        let full = dir.writeGzip("whole.json.gz", CT.jsonLines([good] + records))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: full)))
        let cut = dir.write("cut.json.gz", Array(bytes[0..<(bytes.count * 2 / 3)]))
        let result = InputReader.read(InputSource.load(cut))
        #expect(result.changes.first?.resourceId == "tms-ok")
        #expect(result.report.issues.contains { $0.position.hasPrefix("compressed byte") && $0.reason.contains("bytes before it are still read") })
        #expect(result.report.records > 100)
    }

    @Test func brokenMirroringRecordIsFlaggedAsAPossibleLoss() throws {
        let text = CT.json(CT.other("GetObject")) + "\n" + #"{"eventName":"CreateTrafficMirrorSession","requestParameters":{"#
        let result = readInput("cut.jsonl", text)
        let issue = try #require(result.report.issues.first)
        #expect(issue.position.hasPrefix("record 1, line 2"))
        #expect(issue.reason.contains("a mirroring change may be lost"))
        #expect(result.report.records == 1)
    }

    @Test func emptyFile() {
        let result = readInput("empty.json", "")
        #expect(result.changes.isEmpty)
        #expect(result.report.issues.map(\.reason) == ["empty input"])
    }

    @Test func binaryJunkIsReportedNotCrashed() {
        var generator = SystemRandomNumberGenerator()
        let junk = (0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = readBytes("junk.bin", junk)
        #expect(result.changes.isEmpty)
        #expect(!result.report.issues.isEmpty)
        #expect(result.report.skipped >= 1)
    }

    @Test func junkBetweenRecordsIsSkippedAndTheRestRead() {
        let text = CT.json(good) + "\n\u{0}\u{1}\u{2}garbage\u{7f}\n" + CT.json(CT.deleteSession("tms-ok", at: "2026-11-03T10:00:00Z")) + "\n"
        let result = readInput("mixed.jsonl", text)
        #expect(result.changes.map(\.action) == [.create, .delete])
        #expect(result.report.skipped >= 1)
    }

    @Test func invalidUTF8InsideAStringIsReplacedNotFatal() throws {
        var bytes = Array(CT.json(CT.createSession("tms-latin", eni: "eni-1", target: "tmt-1", filter: "tmf-1")).utf8)
        let marker = Array("198.51.100.7".utf8)
        let at = try #require(bytes.indices.first { Array(bytes[$0..<min($0 + marker.count, bytes.count)]) == marker })
        bytes.replaceSubrange(at..<(at + 3), with: [0x61, 0xE9, 0xFF])  // Latin-1 é and a stray byte
        let result = readBytes("latin1.jsonl", bytes + [0x0a])
        #expect(result.changes.first?.resourceId == "tms-latin")
        #expect(result.changes.first?.actor?.sourceIP?.contains("\u{FFFD}") == true)
    }

    @Test func hugeSingleLineIsReadInFull() {
        // A 100 MB line: one S3 object holding ~ 100k records on a single line, mirroring last.
        let filler = CT.json(CT.other("GetObject"))
        let count = 100 * 1024 * 1024 / filler.utf8.count
        var text = "{\"Records\":["
        text.reserveCapacity(count * (filler.utf8.count + 1) + 4096)
        for _ in 0..<count { text += filler; text += "," }
        text += CT.json(good) + "]}"
        let result = readInput("huge.json", text)
        #expect(result.report.records == count + 1)
        #expect(result.changes.map(\.resourceId) == ["tms-ok"])
        #expect(result.changes.first?.evidence.line == 1)
        #expect(result.report.skipped == 0)
    }

    @Test func unknownFieldsAreIgnored() {
        var record = good
        record["brandNewField"] = ["nested": [1, 2, 3]]
        record["additionalEventData"] = ["x": "y"]
        let result = readInput("new.json", CT.s3Object([record]))
        #expect(result.changes.count == 1)
        #expect(result.report.skipped == 0)
    }

    @Test func mirroringRecordWithoutTimeIsReportedWithPosition() throws {
        var record = good
        record.removeValue(forKey: "eventTime")
        let result = readInput("notime.jsonl", CT.jsonLines([CT.other("GetObject"), record]))
        #expect(result.changes.isEmpty)
        let issue = try #require(result.report.issues.first)
        #expect(issue.position == "record 1, line 2")
        #expect(issue.reason.contains("eventTime"))
    }

    @Test func unrecognisedFormatSaysHowToForceOne() {
        let result = readInput("notes.txt", "hello, this is not telemetry\n")
        #expect(result.report.format == "unknown")
        #expect(result.report.issues.first?.reason.contains("--as") == true)
    }

    @Test func unreadablePathIsReported() {
        let loaded = InputSource.load("/nonexistent/mirrorwatch/x.json")
        #expect(loaded.issues.first?.reason.hasPrefix("cannot read") == true)
    }
}

@Suite struct EncodingTests {
    @Test(arguments: [true, false])
    func utf16WithByteOrderMarkIsConverted(_ littleEndian: Bool) {
        let text = CT.jsonLines([CT.createSession("tms-utf16", eni: "eni-1", target: "tmt-1", filter: "tmf-1")])
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let (low, high) = (UInt8(unit & 0xFF), UInt8(unit >> 8))
            bytes += littleEndian ? [low, high] : [high, low]
        }
        let result = readBytes("powershell-export.json", bytes)
        #expect(result.report.format == "cloudtrail")
        #expect(result.changes.map(\.resourceId) == ["tms-utf16"])
        #expect(result.report.skipped == 0)
    }

    @Test func utf16TicketExport() throws {
        let csv = "number,state,start_date,end_date,u_affected_resources\r\nCHG7,Scheduled,2026-11-03 08:00:00,2026-11-03 09:00:00,eni-1\r\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + csv.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let ticket = try #require(readBytes("changes.csv", bytes).tickets.first)
        #expect(ticket.id == "CHG7")
        #expect(ticket.resources == ["eni-1"])
    }
}
