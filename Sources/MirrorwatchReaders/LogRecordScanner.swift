import MirrorwatchJSON
import MirrorwatchModel

/// The loop every audit-log reader shares: find records at the byte level, let the reader
/// decide relevance from the raw bytes, fully decode only the relevant ones, and report every
/// broken record with its position (record, line, byte).
struct LogRecordScanner: Sendable {
    let splitter: JSONRecordSplitter
    /// Words (lower case; matched ignoring case) that, found inside a broken record, mean a
    /// mirroring change may have been lost.
    let lossMarkers: [[UInt8]]
    /// Member names no reader of this format uses, passed over (at any depth) when a relevant record is decoded.
    let unused: ByteStringSet?

    init(splitter: JSONRecordSplitter, lossMarkers: [String], unused: [String] = []) {
        self.splitter = splitter
        self.lossMarkers = lossMarkers.map { Array($0.lowercased().utf8) }
        self.unused = unused.isEmpty ? nil : ByteStringSet(unused)
    }

    /// Reads `input` as `format`, window by window. `isRelevant` sees each record's span and the
    /// window; `handle` gets each relevant record decoded, with its evidence, and adds what it finds
    /// to the result. `handleBytes`, when given, sees each relevant record first, undecoded (its span
    /// and the window), and returns true when it has taken it from its bytes; otherwise the record
    /// is decoded for `handle`. Positions in problems are the input's (byte, line), not the window's.
    func scan(_ input: some ByteWindows, format: String,
              isRelevant: (JSONRecordSpan, UnsafeRawBufferPointer) -> Bool,
              tally: ((JSONRecordSpan, UnsafeRawBufferPointer, inout ScopeTallier) -> Void)? = nil,
              coverage: (platform: Platform, kind: TelemetryKind)? = nil,
              handleBytes: ((JSONRecordSpan, UnsafeRawBufferPointer, Evidence, inout ReadResult) -> Bool)? = nil,
              handle: (JSONValue, Evidence, inout ReadResult) -> Void) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: format))
        var position = JSONSplitPosition()
        var windowStart = 0, linesBefore = 0
        var tallier = ScopeTallier()
        input.forEachWindow { buffer, isLast in
            var lines = LineCounter()
            func line(at offset: Int) -> Int { linesBefore + lines.line(at: offset, in: buffer) }
            let consumed = splitter.split(buffer, from: &position, isLast: isLast, onRecord: { span in
                result.report.records += 1
                tally?(span, buffer, &tallier)
                guard isRelevant(span, buffer) else { return }
                let line = linesBefore + 1 + span.newlinesBefore
                let evidence = Evidence(input: input.name, record: span.index, line: line)
                if let handleBytes, handleBytes(span, buffer, evidence, &result) { return }
                let value: JSONValue
                do throws(JSONParseError) {
                    value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end]), skipping: unused)
                } catch {
                    result.report.problem("record \(span.index), line \(line), byte \(windowStart + span.start + error.offset)", "malformed record: \(error.reason)")
                    return
                }
                handle(value, evidence, &result)
            }, onError: { error in
                guard let start = error.recordStart else {
                    result.report.problem("record \(error.recordIndex), line \(line(at: error.offset)), byte \(windowStart + error.offset)", error.reason)
                    return
                }
                // Report where the broken record starts; the error may only show lines later.
                let startLine = line(at: start)
                // Counted from the start, not with the shared counter: the next record starts before the
                // error's offset, and moving the counter past it would make it rescan from byte 0.
                let errorLine = startLine + LineIndex.newlines(in: buffer, start..<min(error.offset, buffer.count))
                var reason = error.reason + (startLine == errorLine ? "" : " (noticed at line \(errorLine))")
                let end = min(buffer.count, max(error.recordEnd ?? error.offset, start + 1))
                if let marker = lossMarkers.first(where: { ByteSearch.containsIgnoringCase($0, in: buffer, range: start..<end) }) {
                    reason += "; the record mentions \(String(decoding: marker, as: UTF8.self)): a mirroring change may be lost here"
                }
                result.report.problem("record \(error.recordIndex), line \(startLine), byte \(windowStart + error.offset)", reason)
            })
            tallier.settle(buffer)
            let done = isLast ? buffer.count : consumed
            linesBefore += done == consumed ? position.newlinesConsumed : LineIndex.newlines(in: buffer, 0..<done)
            windowStart += done
            return done
        }
        if let coverage { tallier.finish(platform: coverage.platform, kind: coverage.kind, input: input.name, into: &result.telemetry) }
        result.report.bytes = windowStart
        return result
    }
}
