import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads AWS CloudTrail in every shape it is stored in: S3 objects (`{"Records":[...]}`),
/// JSON lines (`jq -c`, Athena and CloudTrail Lake exports, where `requestParameters` may be
/// a JSON string and keys may be lower-case), EventBridge envelopes (`detail-type: AWS API
/// Call via CloudTrail`) and plain JSON arrays.
///
/// Record boundaries and `eventName` are found at the byte level; only the records that
/// write Traffic Mirroring configuration are fully decoded.
public struct CloudTrailReader: Sendable {
    private static let keys = ["eventName", "eventname", "detail-type"]
    private let splitter = JSONRecordSplitter(watchedKeys: CloudTrailReader.keys)
    private static let mirrorBytes = Array("TrafficMirror".utf8)

    public init() {}

    public func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "cloudtrail"))
        result.report.bytes = input.bytes.count
        input.bytes.withUnsafeBytes { buffer in
            var lines = LineCounter()
            splitter.split(buffer, onRecord: { span in
                result.report.records += 1
                guard Self.isRelevant(span, buffer) else { return }
                let line = lines.line(at: span.start, in: buffer)
                let evidence = Evidence(input: input.name, record: span.index, line: line)
                let value: JSONValue
                do throws(JSONParseError) {
                    value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end]))
                } catch {
                    result.report.problem("record \(span.index), line \(line), byte \(span.start + error.offset)", "malformed record: \(error.reason)")
                    return
                }
                guard let event = CloudTrailEvent(value) else { return }
                guard AWSMirrorOperations.writes[event.eventName] != nil else { return }
                result.report.relevant += 1
                switch AWSChangeMapper.change(from: event, evidence: evidence) {
                case .success(let change): result.changes.append(change)
                case .failure(let reason): result.report.problem("record \(span.index), line \(line)", reason.text)
                }
            }, onError: { error in
                guard let start = error.recordStart else {
                    let line = lines.line(at: error.offset, in: buffer)
                    result.report.problem("record \(error.recordIndex), line \(line), byte \(error.offset)", error.reason)
                    return
                }
                // Report where the broken record starts; the error may only show lines later.
                let startLine = lines.line(at: start, in: buffer)
                let line = lines.line(at: error.offset, in: buffer)
                var reason = error.reason + (startLine == line ? "" : " (noticed at line \(line))")
                let end = min(buffer.count, max(error.offset, start + 1))
                if ByteSearch.contains(Self.mirrorBytes, in: buffer, range: start..<end) {
                    reason += "; the record mentions TrafficMirror: a mirroring change may be lost here"
                }
                result.report.problem("record \(error.recordIndex), line \(startLine), byte \(error.offset)", reason)
            })
        }
        return result
    }

    @inline(__always)
    static func isRelevant(_ span: JSONRecordSpan, _ buffer: UnsafeRawBufferPointer) -> Bool {
        if let name = span.fields[0] ?? span.fields[1] { return AWSMirrorOperations.mayBeWrite(buffer, name) }
        if span.fields[2] != nil { return ByteSearch.contains(mirrorBytes, in: buffer, range: span.start..<span.end) }
        return false
    }
}

/// A decoded CloudTrail record, unwrapped from EventBridge and with string-encoded members parsed.
struct CloudTrailEvent {
    var record: JSONValue
    var eventName: String

    init?(_ value: JSONValue) {
        var record = value
        if value.member(ignoringCase: "detail-type") != nil, let detail = value["detail"] { record = detail }
        guard let name = record.member(ignoringCase: "eventName")?.text else { return nil }
        self.record = record
        self.eventName = name
    }

    /// A member that may be stored as an object or as a JSON string (Athena, Lake exports).
    func structured(_ key: String) -> JSONValue? {
        guard let value = record.member(ignoringCase: key) else { return nil }
        if case .string(let text) = value, text.first == "{" || text.first == "[" {
            return try? JSONParser.parse(text)
        }
        return value
    }
}
