import MirrorwatchJSON
import MirrorwatchModel
@testable import MirrorwatchReaders

/// What the tests comparing a reader's tape path with the decoded path share: the decoded path's
/// results, the reader's results, and whether the tape takes a record.
enum TapeParity {
    /// What `make` gives for each record decoded as a tree (each record's place as its evidence),
    /// described in full.
    static func decoded<Made>(_ records: [String], _ make: (CloudTrailEvent, Evidence) -> [Made]) -> [String] {
        records.enumerated().flatMap { index, text -> [String] in
            guard let value = try? JSONParser.parse(Array(text.utf8)), let event = CloudTrailEvent(value) else { return [] }
            return make(event, Evidence(input: "", record: index, line: index + 1)).map { String(describing: $0) }
        }
    }

    /// Reads `records` written as JSON lines and describes what `pick` takes from the result, its
    /// evidence without the file name.
    static func read<Made>(_ records: [String], as name: String, _ pick: (ReadResult) -> [Made],
                           evidence: WritableKeyPath<Made, Evidence>) -> (made: [String], result: ReadResult) {
        let result = readInput(name, records.joined(separator: "\n") + "\n", as: .cloudtrail)
        return (pick(result).map { made in
            var copy = made
            copy[keyPath: evidence] = Evidence(input: "", record: made[keyPath: evidence].record, line: made[keyPath: evidence].line)
            return String(describing: copy)
        }, result)
    }

    /// Whether the tape takes each record (`takes` reads one with a tape kept from record to record).
    static func taken(_ records: [String], _ takes: (UnsafeRawBufferPointer, inout JSONTape) -> Bool) -> [Bool] {
        var tape = JSONTape()
        return records.map { text in Array(text.utf8).withUnsafeBytes { takes($0, &tape) } }
    }
}
