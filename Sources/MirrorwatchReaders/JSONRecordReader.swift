import MirrorwatchJSON
import MirrorwatchModel

/// Reads JSON record logs that have no event name to decide relevance by (flow logs, sign-in logs)
/// window by window, in every shape they are exported in: JSON lines, a JSON array, or a wrapper
/// object (`{"records": [...]}` from Event Hub and storage, `{"value": [...]}` from Microsoft Graph,
/// `{"entries": [...]}` from the Logging API). Records are found at the byte level
/// (`JSONRecordSplitter`); a reader's `isRelevant` may pass records over before they are decoded.
/// Memory stays bounded by the read window whatever the input's size, and a broken record is
/// reported with its position (record, line, byte) while the rest is read.
struct JSONRecordReader: Sendable {
    private let scanner: LogRecordScanner
    private static let wrappers = ["records", "value", "entries"]

    /// - Parameter resyncMarker: the bytes a record of this format starts with, to recover after a
    ///   broken record inside a wrapper's array.
    init(resyncMarker: String) {
        scanner = LogRecordScanner(splitter: JSONRecordSplitter(watchedKeys: [], wrapperKeys: Self.wrappers, resyncMarker: resyncMarker),
                                   lossMarkers: [])
    }

    /// Reads `input` as `format`; `handle` gets each relevant record decoded, with its evidence.
    func read(_ input: some ByteWindows, format: String,
              isRelevant: (JSONRecordSpan, UnsafeRawBufferPointer) -> Bool = { _, _ in true },
              handle: (JSONValue, Evidence, inout ReadResult) -> Void) -> ReadResult {
        // Records that unwrapped wrappers added before the current one: record numbers run on across them.
        var added = 0
        return scanner.scan(input, format: format, isRelevant: isRelevant) { value, evidence, result in
            let first = (evidence.record ?? 0) + added
            // A wrapper whose record array is not its first member (Graph writes `@odata.context` first)
            // is found as one record: its items are the records.
            guard let items = Self.wrappers.lazy.compactMap({ value.member(ignoringCase: $0) }).first?.elements else {
                handle(value, Evidence(input: evidence.input, record: first, line: evidence.line), &result)
                return
            }
            result.report.records += items.count - 1
            added += items.count - 1
            for (k, item) in items.enumerated() {
                handle(item, Evidence(input: evidence.input, record: first + k, line: evidence.line), &result)
            }
        }
    }
}
