import CStructural
import Testing
@testable import MirrorwatchJSON

/// The record walk in C (`mw_walk_record`: classification and brackets in one pass) and the walk in
/// Swift it stands in for give the same records, fields, line counts and errors, on generated
/// records of every shape the fused walk handles or declines.
@Suite struct FusedWalkTests {
    /// Everything the splitter reports for `bytes`, as text to compare.
    func outcome(_ bytes: [UInt8], keys: [String], fused: Bool) -> [String] {
        var lines: [String] = []
        var splitter = JSONRecordSplitter(watchedKeys: keys)
        splitter.fusedWalk = fused
        bytes.withUnsafeBytes { buffer in
            splitter.split(buffer, onRecord: { span in
                let fields = span.fields.map { $0.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "-" }
                lines.append("record \(span.index) \(span.start)..<\(span.end) line \(span.newlinesBefore) \(fields)")
            }, onError: { error in
                lines.append("error \(error.recordIndex) at \(error.offset) from \(error.recordStart ?? -1) to \(error.recordEnd ?? -1): \(error.reason)")
            })
        }
        return lines
    }

    /// A record with members of assorted shapes: compact and spaced, names and values crossing
    /// 64-byte blocks, escapes, nested values, non-string values, many members.
    func record(_ generator: inout some RandomNumberGenerator, keys: [String]) -> String {
        func string(_ length: Int) -> String {
            let alphabet = Array("abcXYZ019 {}[]:,".unicodeScalars) + ["\\\"", "\\\\", "\\n", "é"]
            return (0..<length).map { _ in "\(alphabet.randomElement(using: &generator)!)" }.joined()
        }
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 7), using: &generator) {
            case 0, 1: return "\"\(string(Int.random(in: 0..<90, using: &generator)))\""
            case 2: return ["1", "-2.5e3", "true", "false", "null"].randomElement(using: &generator)!
            case 3: return "\"\""
            case 4: return "{" + (0..<Int.random(in: 0..<4, using: &generator)).map { "\"n\($0)\":\(value(depth + 1))" }.joined(separator: ",") + "}"
            case 5: return "[" + (0..<Int.random(in: 0..<4, using: &generator)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default: return "{\"eventName\":\(value(depth + 1))}"
            }
        }
        let colons = [":", " : ", ":\t", " :", ": "]
        let members = (0..<Int.random(in: 0..<(Bool.random(using: &generator) ? 12 : 150), using: &generator)).map { _ -> String in
            let name = Bool.random(using: &generator) ? keys.randomElement(using: &generator)! : string(Int.random(in: 0..<80, using: &generator))
            let colon = Int.random(in: 0..<4, using: &generator) == 0 ? colons.randomElement(using: &generator)! : ":"
            return "\"\(name)\"\(colon)\(value(0))"
        }
        return "{" + members.joined(separator: Int.random(in: 0..<5, using: &generator) == 0 ? ",\n " : ",") + "}"
    }

    @Test func sameResultsOnGeneratedRecords() {
        var generator = SystemRandomNumberGenerator()
        let keys = ["eventName", "eventTime", "awsRegion", "recipientAccountId", "a", ""]
        for round in 0..<60 {
            let records = (0..<Int.random(in: 1..<40, using: &generator)).map { _ in record(&generator, keys: keys) }
            let shapes = ["{\"Records\":[" + records.joined(separator: ",") + "]}",
                          records.joined(separator: "\n") + "\n",
                          "[" + records.joined(separator: ", ") + "]"]
            for text in shapes {
                let bytes = Array(text.utf8)
                let fused = outcome(bytes, keys: keys, fused: true), walked = outcome(bytes, keys: keys, fused: false)
                #expect(fused == walked, "round \(round)")
                // Broken copies: cut short, a byte changed into a bracket, quote or newline.
                var cut = bytes
                cut.removeLast(Int.random(in: 1...min(200, bytes.count), using: &generator))
                var damaged = bytes
                for _ in 0..<3 { damaged[Int.random(in: 0..<damaged.count, using: &generator)] = [0x7B, 0x5D, 0x22, 0x0A, 0x5C].randomElement(using: &generator)! }
                #expect(outcome(cut, keys: keys, fused: true) == outcome(cut, keys: keys, fused: false), "round \(round), cut")
                #expect(outcome(damaged, keys: keys, fused: true) == outcome(damaged, keys: keys, fused: false), "round \(round), damaged")
            }
        }
    }

    @Test func theFusedWalkIsUsedWhereTheCPUAllows() {
        let text = Array(#"{"Records":[{"eventName":"CreateTrafficMirrorSession","x":{"y":[1,2]},"awsRegion":"eu-west-1"},{"eventName":"B"}]}"#.utf8)
            + Array(repeating: 0x20, count: 200)
        var walk = mw_walk()
        let room = UnsafeMutablePointer<mw_top_colon>.allocate(capacity: 8)
        defer { room.deallocate() }
        let walked = text.withUnsafeBytes { mw_walk_record($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int64($0.count), 12, room, 8, &walk) }
        let implementation = String(cString: mw_classify_implementation())
        guard implementation == "avx512" || implementation == "avx2" else {
            #expect(walked == 0)
            return
        }
        #expect(walked == 1)
        #expect(walk.end == 94)
        // eventName and awsRegion are listed (string values); "x" holds an object and is not.
        #expect(walk.colons == 2)
        #expect(room[0].name == 14 && room[0].name_length == 9 && room[0].value_end == 52)
        // The name of awsRegion starts in the block before its colon's (blocks run from the record's
        // start): listed for the caller to read from the bytes.
        #expect(room[1].colon == 81 && room[1].name_length == -1)
        // Too little room for the members: declined, for the caller to walk.
        #expect(text.withUnsafeBytes { mw_walk_record($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int64($0.count), 12, room, 1, &walk) } == 0)
    }
}
