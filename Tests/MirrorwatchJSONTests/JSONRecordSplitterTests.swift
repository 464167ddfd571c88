import Testing
@testable import MirrorwatchJSON

/// Splits `text` and returns (records as text, captured first field, errors).
private func split(_ text: String, keys: [String] = ["eventName"]) -> (records: [String], names: [String?], errors: [JSONSplitError]) {
    let bytes = Array(text.utf8)
    var records: [String] = []
    var names: [String?] = []
    var errors: [JSONSplitError] = []
    bytes.withUnsafeBytes { buffer in
        JSONRecordSplitter(watchedKeys: keys).split(buffer, onRecord: { span in
            records.append(String(decoding: buffer[span.start..<span.end], as: UTF8.self))
            names.append(span.fields[0].map { String(decoding: buffer[$0], as: UTF8.self) })
        }, onError: { errors.append($0) })
    }
    return (records, names, errors)
}

@Suite struct JSONRecordSplitterTests {
    @Test func splitsS3ObjectsAndCapturesTopLevelKeysOnly() {
        let text = #"{"Records":[{"eventName":"A","x":{"eventName":"nested"}},{"y":[1,{"eventName":"deep"}],"eventName":"B"}]}"#
        let result = split(text)
        #expect(result.records.count == 2)
        #expect(result.names == ["A", "B"])
        #expect(result.errors.isEmpty)
    }

    @Test func splitsJSONLinesArraysAndSingleObjects() {
        #expect(split("{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n\n{\"eventName\":\"C\"}").names == ["A", "B", "C"])
        #expect(split(#"[{"eventName":"A"}, {"eventName":"B"}]"#).names == ["A", "B"])
        #expect(split(#"{"eventName":"only"}"#).names == ["only"])
    }

    @Test func stringsWithBracesQuotesAndEscapesDoNotConfuseIt() {
        let tricky = #"{"k":"a } ] { [ \" \\","eventName":"X","z":"\\\\\""}"#
        let result = split("{\"Records\":[\(tricky),\(tricky)]}")
        #expect(result.names == ["X", "X"])
        #expect(result.errors.isEmpty)
    }

    @Test func longStringsCrossingWordBoundaries() {
        // Quotes and escapes at every offset modulo 8 exercise the word-at-a-time scan.
        for pad in 0..<17 {
            let filler = String(repeating: "a", count: pad)
            let text = "{\"p\":\"\(filler)\\\"\(filler)\",\"eventName\":\"E\(pad)\"}"
            #expect(split(text).names == ["E\(pad)"])
        }
    }

    @Test func prettyPrintedWrappersWithBOM() {
        let text = "\u{FEFF}{\n  \"Records\": [\n    {\n      \"eventName\": \"A\"\n    },\n    {\n      \"eventName\": \"B\"\n    }\n  ]\n}\n"
        let result = split(text)
        #expect(result.names == ["A", "B"])
        #expect(result.errors.isEmpty)
    }

    @Test func aBrokenLineInJSONLinesCostsOnlyThatLine() {
        let text = "{\"eventName\":\"A\"}\n{\"eventName\":\"trunc\n{\"eventName\":\"C\"}\ngarbage here\n{\"eventName\":\"D\"}\n"
        let result = split(text)
        #expect(result.names == ["A", "C", "D"])
        #expect(result.errors.count == 2)
        #expect(result.errors[0].reason.contains("unterminated string"))
        #expect(result.errors[1].reason.contains("expected '{' or '['"))
    }

    @Test func aBadRecordInsideRecordsResynchronisesAtTheNextRecord() {
        let text = #"{"Records":[{"eventVersion":"1.08","eventName":"A"},{"eventVersion":"1.08","eventName":"B","x":[1,2}},{"eventVersion":"1.08","eventName":"C"}]}"#
        let result = split(text)
        #expect(result.names == ["A", "C"])
        #expect(result.errors.count == 1)
        #expect(result.errors[0].reason.contains("does not close"))
        #expect(result.errors[0].recordIndex == 1)
    }

    @Test func truncatedInputReportsWhereItEnds() {
        let text = #"{"Records":[{"eventName":"A"},{"eventName":"B","more":"#
        let result = split(text)
        #expect(result.names == ["A"])
        #expect(result.errors.count >= 1)
        #expect(result.errors.contains { $0.reason.contains("input ends") || $0.reason.contains("unterminated") })
    }

    @Test func binaryJunkIsAnErrorNotACrash() {
        var bytes: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        bytes[0] = 0x00
        var errors = 0
        bytes.withUnsafeBytes { buffer in
            JSONRecordSplitter(watchedKeys: ["eventName"]).split(buffer, onRecord: { _ in }, onError: { _ in errors += 1 })
        }
        #expect(errors > 0)
    }

    /// Record lines come from the block masks (`newlinesBefore`, `newlinesConsumed`), not a second
    /// pass: checked against a plain count over inputs with pretty-printed records, blank lines,
    /// long records, a broken line and windows that cut records anywhere.
    @Test func recordLinesMatchAPlainNewlineCount() {
        var text = "\n\n"
        for k in 0..<40 {
            let pad = String(repeating: "x", count: (k * 37) % 150)
            if k % 3 == 0 {
                text += "{\n  \"eventName\": \"E\(k)\",\n  \"p\": {\n    \"q\": [1,\n 2],\n    \"s\": \"\(pad)\"\n  }\n}\n"
            } else if k % 7 == 0 {
                text += "{\"eventName\":\"broken\n"
            } else {
                text += "{\"eventName\":\"E\(k)\",\"s\":\"\(pad)\"}\n\n"
            }
        }
        let bytes = Array(text.utf8)
        func naiveLine(_ offset: Int) -> Int { 1 + bytes[..<offset].filter { $0 == 0x0A }.count }
        for window in [bytes.count, 4096, 301, 97, 64] {
            var lines: [Int] = [], expected: [Int] = []
            var position = JSONSplitPosition()
            var windowStart = 0, linesBefore = 0
            let splitter = JSONRecordSplitter(watchedKeys: ["eventName"])
            while windowStart < bytes.count {
                var size = min(window, bytes.count - windowStart)
                while true {
                    let isLast = windowStart + size == bytes.count
                    let consumed = bytes.withUnsafeBytes { all in
                        let buffer = UnsafeRawBufferPointer(rebasing: all[windowStart..<(windowStart + size)])
                        return splitter.split(buffer, from: &position, isLast: isLast, onRecord: { span in
                            lines.append(linesBefore + 1 + span.newlinesBefore)
                            expected.append(naiveLine(windowStart + span.start))
                        }, onError: { _ in })
                    }
                    if consumed > 0 || isLast {
                        #expect(position.newlinesConsumed == bytes[windowStart..<(windowStart + consumed)].filter { $0 == 0x0A }.count)
                        linesBefore += position.newlinesConsumed
                        windowStart += isLast ? size : consumed
                        break
                    }
                    size = min(size * 2, bytes.count - windowStart)  // a record larger than the window
                }
            }
            #expect(lines.count == 36, "window \(window)")
            #expect(lines == expected, "window \(window)")
        }
    }

    @Test func deepNestingIsReportedNotCrashed() {
        let text = "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}\n{\"eventName\":\"ok\"}"
        let result = split(text)
        #expect(result.names == ["ok"])
        #expect(result.errors.first?.reason.contains("nesting") == true)
    }
}

@Suite struct ByteSearchTests {
    /// Needles are anchored on their rarest byte in real logs: not `.` or a common letter.
    @Test func anchorsOnRareBytes() {
        #expect(ByteSearch.anchorOffset(Array("storage.buckets.delete".utf8)) == 11)  // the k
        #expect(ByteSearch.anchorOffset(Array("TrafficMirror".utf8)) == 7)  // the M
        #expect(ByteSearch.anchorOffset(Array("forwardingRules.insert".utf8)) == 10)  // the R
    }

    @Test func findsSubstrings() {
        let bytes = Array("xxTrafficMirroTrafficMirror".utf8)
        bytes.withUnsafeBytes { buffer in
            #expect(ByteSearch.firstIndex(of: Array("TrafficMirror".utf8), in: buffer, range: 0..<buffer.count) == 14)
            #expect(ByteSearch.firstIndex(of: Array("TrafficMirror".utf8), in: buffer, range: 0..<26) == nil)
        }
    }

    @Test func countsLines() {
        let bytes = Array("a\nb\nc\n".utf8)
        var counter = LineCounter()
        bytes.withUnsafeBytes { buffer in
            #expect(counter.line(at: 0, in: buffer) == 1)
            #expect(counter.line(at: 2, in: buffer) == 2)
            #expect(counter.line(at: 5, in: buffer) == 3)
            #expect(counter.line(at: 1, in: buffer) == 1)
        }
    }
}
