import CStructural
import MirrorwatchTestSupport
import Testing
@testable import MirrorwatchJSON

/// The record walk in C (`mw_walk_record`: classification, brackets and member names in one pass)
/// and the walk in Swift it stands in for give the same records, fields, line counts and errors, on
/// generated records of every shape the fused walk handles or declines; its AVX-512 and AVX2 forms
/// agree with each other.
@Suite struct FusedWalkTests {
    static let keys = ["eventName", "eventTime", "awsRegion", "recipientAccountId", "a", "", String(repeating: "k", count: 70)]

    /// Everything the splitter reports for `bytes`, as text to compare, and the records' starts.
    func outcome(_ bytes: [UInt8], fused: Bool) -> (lines: [String], starts: [Int]) {
        var lines: [String] = [], starts: [Int] = []
        var splitter = JSONRecordSplitter(watchedKeys: Self.keys)
        splitter.fusedWalk = fused
        bytes.withUnsafeBytes { buffer in
            splitter.split(buffer, onRecord: { span in
                let fields = span.fields.map { $0.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "-" }
                lines.append("record \(span.index) \(span.start)..<\(span.end) line \(span.newlinesBefore) \(fields)")
                starts.append(span.start)
            }, onError: { error in
                lines.append("error \(error.recordIndex) at \(error.offset) from \(error.recordStart ?? -1) to \(error.recordEnd ?? -1): \(error.reason)")
            })
        }
        return (lines, starts)
    }

    /// What one C implementation makes of the record at `start`, as text (nil: not on this CPU).
    func walked(_ implementation: String, _ bytes: [UInt8], at start: Int, names: ByteStringSet, room: Int32 = 128) -> String? {
        let colons = UnsafeMutablePointer<mw_top_colon>.allocate(capacity: Int(room))
        defer { colons.deallocate() }
        var walk = mw_walk()
        let result = bytes.withUnsafeBytes {
            mw_walk_record_using(implementation, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int64($0.count), Int64(start), names.nameTable, colons, room, &walk)
        }
        if result < 0 { return nil }
        guard result == 1 else { return "declined" }
        let members = (0..<Int(walk.colons)).map { "\(colons[$0].colon):\(colons[$0].key):\(colons[$0].value_end)" }
        return "\(walk.end) \(walk.newlines) \(members)"
    }

    /// A record with members of assorted shapes: compact and spaced, names and values crossing
    /// 64-byte blocks, escapes, nested values, non-string values, sometimes more members than the C
    /// walk has room for.
    func record(_ generator: inout SeededGenerator) -> String {
        func string(_ length: Int) -> String {
            let alphabet = Array("abcXYZ019 {}[]:,".unicodeScalars).map(String.init) + ["\\\"", "\\\\", "\\n", "é"]
            return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 7), using: &generator) {
            case 0, 1: return "\"\(string(Int.random(in: 0..<150, using: &generator)))\""
            case 2: return ["1", "-2.5e3", "true", "false", "null"].randomElement(using: &generator)!
            case 3: return "\"\""
            case 4: return "{" + (0..<Int.random(in: 0..<4, using: &generator)).map { "\"n\($0)\":\(value(depth + 1))" }.joined(separator: ",") + "}"
            case 5: return "[" + (0..<Int.random(in: 0..<4, using: &generator)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default: return "{\"eventName\":\(value(depth + 1))}"
            }
        }
        let colons = [":", " : ", ":\t", " :", ": ", ":\r\n"]
        let many = Int.random(in: 0..<8, using: &generator) == 0
        let members = (0..<Int.random(in: 0..<(many ? 300 : 14), using: &generator)).map { _ -> String in
            let name = many || Bool.random(using: &generator) ? Self.keys.randomElement(using: &generator)! : string(Int.random(in: 0..<80, using: &generator))
            let colon = Int.random(in: 0..<4, using: &generator) == 0 ? colons.randomElement(using: &generator)! : ":"
            return "\"\(name)\"\(colon)\(many ? "\"v\"" : value(0))"
        }
        return "{" + members.joined(separator: Int.random(in: 0..<5, using: &generator) == 0 ? ",\n " : ",") + "}"
    }

    @Test func sameResultsOnGeneratedRecords() {
        let names = ByteStringSet(Self.keys)
        let implementation = String(cString: mw_walk_implementation())
        var accepted = 0
        for round in 0..<80 {
            var generator = SeededGenerator(state: UInt64(round))
            let records = (0..<Int.random(in: 1..<40, using: &generator)).map { _ in record(&generator) }
            let shapes = ["{\"Records\":[" + records.joined(separator: ",") + "]}",
                          records.joined(separator: "\n") + "\n",
                          "[" + records.joined(separator: ", ") + "]"]
            for (shape, text) in shapes.enumerated() {
                let bytes = Array(text.utf8)
                let fused = outcome(bytes, fused: true), plain = outcome(bytes, fused: false)
                #expect(fused.lines == plain.lines, "round \(round), shape \(shape)")
                // Both C forms agree on every record, and the one in use takes most of them.
                for start in plain.starts {
                    let wide = walked("avx512", bytes, at: start, names: names), narrow = walked("avx2", bytes, at: start, names: names)
                    if let wide, let narrow { #expect(wide == narrow, "round \(round), record at \(start)") }
                    if (implementation == "avx512" ? wide : narrow).map({ $0 != "declined" }) == true { accepted += 1 }
                }
                // Broken copies: cut short, a few bytes changed into brackets, quotes, newlines or backslashes.
                var cut = bytes
                cut.removeLast(Int.random(in: 1...min(200, bytes.count), using: &generator))
                var damaged = bytes
                for _ in 0..<3 { damaged[Int.random(in: 0..<damaged.count, using: &generator)] = [0x7B, 0x5D, 0x22, 0x0A, 0x5C].randomElement(using: &generator)! }
                #expect(outcome(cut, fused: true).lines == outcome(cut, fused: false).lines, "round \(round), shape \(shape), cut")
                #expect(outcome(damaged, fused: true).lines == outcome(damaged, fused: false).lines, "round \(round), shape \(shape), damaged")
            }
        }
        if implementation != "none" { #expect(accepted > 1000, "the C walk took \(accepted) records") }
    }

    @Test func declinedRecordsAreWalkedInSwift() {
        let names = ByteStringSet(Self.keys)
        // More watched members than the C walk has room for, and nesting deeper than 63 levels.
        let wide = "{" + (0..<200).map { "\"eventName\":\"v\($0)\"" }.joined(separator: ",") + "}"
        let deep = "{\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + ",\"eventName\":\"x\"}"
        for text in [wide, deep] {
            let bytes = Array(("{\"Records\":[" + text + "," + text + "]}").utf8) + Array(repeating: 0x20, count: 64)
            #expect(outcome(bytes, fused: true).lines == outcome(bytes, fused: false).lines)
            if String(cString: mw_walk_implementation()) != "none" {
                #expect(walked(String(cString: mw_walk_implementation()), bytes, at: 12, names: names) == "declined")
            }
        }
        // A name given twice keeps its last value, as the Swift walker does.
        let bytes = Array(("{\"Records\":[" + wide + "]}").utf8)
        var last: String? = nil
        bytes.withUnsafeBytes { buffer in
            JSONRecordSplitter(watchedKeys: Self.keys).split(buffer, onRecord: { span in
                last = span.fields[0].map { String(decoding: buffer[$0], as: UTF8.self) }
            }, onError: { _ in })
        }
        #expect(last == "v199")
    }

    @Test func membersComeBackWithTheirKeyAndValueEnd() throws {
        let implementation = String(cString: mw_walk_implementation())
        try #require(implementation != "none", "no fused walk on this CPU")
        let names = ByteStringSet(["eventName", "awsRegion"])
        let text = Array(#"{"Records":[{"eventName":"CreateTrafficMirrorSession","x":{"y":[1,2]},"awsRegion":"eu-west-1"},{"eventName":"B"}]}"#.utf8)
            + Array(repeating: 0x20, count: 200)
        // eventName and awsRegion are listed with their positions in the set and value ends; "x" holds
        // an object and is not listed. The name awsRegion starts in the block before its colon's
        // (blocks run from the record's start, at 12): found from that block's quotes.
        #expect(walked(implementation, text, at: 12, names: names) == "94 0 [\"24:0:52\", \"81:1:92\"]")
        // Too little room: declined, for the Swift walker.
        #expect(walked(implementation, text, at: 12, names: names, room: 1) == "declined")
        // A value whose closing quote is blocks away gets it from the first quote of a later block;
        // an unwatched compact member is not listed; a spaced one is, for Swift to read.
        let long = Array(("{\"eventName\":\"" + String(repeating: "v", count: 150) + "\",\"other\":\"o\",\"awsRegion\" : \"r\"}").utf8)
            + Array(repeating: 0x20, count: 200)
        #expect(walked(implementation, long, at: 0, names: names) == "196 0 [\"12:0:164\", \"190:-1:-1\"]")
    }
    /// Colons followed by a byte up to 0x20 are read one by one: a blank (space, tab, CR, LF) lists
    /// the member for Swift to read, any other control byte (not JSON) does not; so does the first byte
    /// of the next block after a colon at a block's last byte. Both C forms agree, and the splitter's
    /// fused and Swift walks give the same records.
    @Test func controlBytesAndBlanksAfterColonsAtEveryBit() throws {
        let names = ByteStringSet(Self.keys)
        for after in [UInt8(0x01), 0x1F, 0x20, 0x09, 0x0D, 0x0A, 0x22] {
            for padding in 0..<70 {
                // The colon after "eventName" lands on every bit of the first two blocks as the padding grows.
                let value = after == 0x22 ? "\"x\"" : String(decoding: [after], as: UTF8.self) + "\"x\""
                let record = "{\"p\":\"" + String(repeating: "a", count: padding) + "\",\"eventName\":" + value + ",\"awsRegion\":\"r\"}"
                let bytes = Array(("{\"Records\":[" + record + "," + record + "]}").utf8) + Array(repeating: 0x20, count: 200)
                let colon = 12 + record.utf8.count - "\"x\",\"awsRegion\":\"r\"}".utf8.count - (after == 0x22 ? 1 : 2)
                let wide = walked("avx512", bytes, at: 12, names: names), narrow = walked("avx2", bytes, at: 12, names: names)
                if let wide, let narrow { #expect(wide == narrow, "byte \(after), padding \(padding)") }
                let blank = [0x20, 0x09, 0x0D, 0x0A].contains(after)
                if let listed = wide ?? narrow, listed != "declined" {
                    #expect(listed.contains("\"\(colon):") == (blank || after == 0x22), "byte \(after), padding \(padding): \(listed)")
                }
                #expect(outcome(bytes, fused: true).lines == outcome(bytes, fused: false).lines, "byte \(after), padding \(padding)")
            }
        }
    }
}
