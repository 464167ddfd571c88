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

    init(splitter: JSONRecordSplitter, lossMarkers: [String]) {
        self.splitter = splitter
        self.lossMarkers = lossMarkers.map { Array($0.lowercased().utf8) }
    }

    /// Reads `input` as `format`. `isRelevant` sees each record's span and the whole buffer;
    /// `handle` gets each relevant record decoded, with its evidence, and adds what it finds to the result.
    func scan(_ input: LoadedInput, format: String,
              isRelevant: (JSONRecordSpan, UnsafeRawBufferPointer) -> Bool,
              tally: ((JSONRecordSpan, UnsafeRawBufferPointer, inout ScopeTallier) -> Void)? = nil,
              coverage: (platform: Platform, kind: TelemetryKind)? = nil,
              handle: (JSONValue, Evidence, inout ReadResult) -> Void) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: format))
        result.report.bytes = input.bytes.count
        var tallier = ScopeTallier()
        input.bytes.withUnsafeBytes { buffer in
            var lines = LineCounter()
            splitter.split(buffer, onRecord: { span in
                result.report.records += 1
                tally?(span, buffer, &tallier)
                guard isRelevant(span, buffer) else { return }
                let line = lines.line(at: span.start, in: buffer)
                let value: JSONValue
                do throws(JSONParseError) {
                    value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end]))
                } catch {
                    result.report.problem("record \(span.index), line \(line), byte \(span.start + error.offset)", "malformed record: \(error.reason)")
                    return
                }
                handle(value, Evidence(input: input.name, record: span.index, line: line), &result)
            }, onError: { error in
                guard let start = error.recordStart else {
                    let line = lines.line(at: error.offset, in: buffer)
                    result.report.problem("record \(error.recordIndex), line \(line), byte \(error.offset)", error.reason)
                    return
                }
                // Report where the broken record starts; the error may only show lines later.
                let startLine = lines.line(at: start, in: buffer)
                // Counted from the start, not with the shared counter: the next record starts before the
                // error's offset, and moving the counter past it would make it rescan from byte 0.
                let line = startLine + LineIndex.newlines(in: buffer, start..<min(error.offset, buffer.count))
                var reason = error.reason + (startLine == line ? "" : " (noticed at line \(line))")
                let end = min(buffer.count, max(error.offset, start + 1))
                if let marker = lossMarkers.first(where: { ByteSearch.containsIgnoringCase($0, in: buffer, range: start..<end) }) {
                    reason += "; the record mentions \(String(decoding: marker, as: UTF8.self)): a mirroring change may be lost here"
                }
                result.report.problem("record \(error.recordIndex), line \(startLine), byte \(error.offset)", reason)
            })
            if let coverage { tallier.finish(platform: coverage.platform, kind: coverage.kind, input: input.name, buffer: buffer, into: &result.telemetry) }
        }
        return result
    }
}
