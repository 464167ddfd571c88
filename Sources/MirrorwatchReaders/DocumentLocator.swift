import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Finds where an entry of a whole-document export (an IAM export, a role list) sits in the file,
/// so that evidence points at a line rather than at "record 7 of some list".
///
/// Entries are located by the first occurrence of a text they contain (an ARN, a member, an id).
struct DocumentLocator {
    private let input: LoadedInput
    private var lines = LineCounter()

    init(_ input: LoadedInput) { self.input = input }

    /// Evidence for the entry numbered `record` that contains `text` (quoted, as a JSON string).
    mutating func evidence(record: Int, containing text: String?) -> Evidence {
        guard let text, !text.isEmpty else { return Evidence(input: input.name, record: record) }
        var quoted = ""
        JSONWriter.quote(text, into: &quoted)
        // Some writers escape `/` as `\/` (valid JSON): look for that spelling too.
        let needles = [Array(quoted.utf8), Array(quoted.replacingOccurrences(of: "/", with: "\\/").utf8)]
        let line: Int? = input.bytes.withUnsafeBytes { buffer in
            for needle in needles {
                if let offset = ByteSearch.firstIndex(of: needle, in: buffer, range: 0..<buffer.count) { return lines.line(at: offset, in: buffer) }
            }
            return nil
        }
        return Evidence(input: input.name, record: record, line: line)
    }
}
