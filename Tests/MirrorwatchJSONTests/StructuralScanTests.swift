import MirrorwatchJSON
import Testing

/// The splitter visits 64-byte blocks; whatever falls on a block's edge (an escape, a quote, a
/// long string, a bracket inside a string) must come out as a byte-by-byte reading would.
@Suite struct StructuralScanTests {
    /// A deterministic generator, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// A string body full of what trips scanners: escaped quotes and backslashes in runs, brackets, colons, commas.
    static func nastyString(_ r: inout Random) -> String {
        let pieces = ["a", "{", "}", "[", "]", ":", ",", "\\\"", "\\\\", "\\\\\\\"", "\\n", "\\u00e9", " ", "é", "TrafficMirror", "x"]
        return (0..<r.next(40)).map { _ in pieces[r.next(pieces.count)] }.joined()
    }

    static func value(_ r: inout Random, depth: Int) -> String {
        switch depth > 3 ? r.next(3) : r.next(6) {
        case 0: return "\"\(nastyString(&r))\""
        case 1: return String(r.next(100000))
        case 2: return ["true", "false", "null"][r.next(3)]
        case 3: return "[" + (0..<r.next(4)).map { _ in value(&r, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<r.next(5)).map { k in "\"k\(k)\(nastyString(&r))\":" + value(&r, depth: depth + 1) }.joined(separator: ",") + "}"
        }
    }

    @Test func watchedFieldsMatchTheParserOnRandomRecords() throws {
        var r = Random(state: 20261129)
        for round in 0..<200 {
            // Padding shifts every record against the 64-byte blocks.
            let padding = String(repeating: " ", count: round % 64)
            let name = Self.nastyString(&r)
            let record = "{" + padding + "\"nested\":" + Self.value(&r, depth: 1) + " , \"eventName\" : \"\(name)\",\"after\":" + Self.value(&r, depth: 1) + "}"
            let text = "{\"Records\":[" + record + "," + record + "]}"
            // Fields are valid only while a record is handled: copied out with the span.
            var spans: [(span: JSONRecordSpan, fields: [Range<Int>?])] = []
            var errors: [JSONSplitError] = []
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { buffer in
                JSONRecordSplitter(watchedKeys: ["eventName", "missing"]).split(buffer, onRecord: { spans.append(($0, Array($0.fields))) }, onError: { errors.append($0) })
                #expect(errors.isEmpty, "round \(round): \(errors) in \(text)")
                #expect(spans.count == 2, "round \(round)")
                for (span, fields) in spans {
                    let parsed = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end]))
                    let captured = fields[0].flatMap { try? JSONParser.parse([0x22] + Array(buffer[$0]) + [0x22]) }
                    #expect(parsed?["eventName"] != nil, "round \(round)")
                    #expect(captured == parsed?["eventName"], "round \(round): \(String(describing: captured)) in \(record)")
                    #expect(fields[1] == nil)
                }
            }
        }
    }

    /// Member names are found from the colon after them: names of any length (crossing one or more
    /// block edges, with escaped quotes in them), blanks and newlines between name, colon and value,
    /// and values that are not strings (never captured).
    @Test func watchedNamesOfAnyLengthAndSpacingAreCaptured() {
        var r = Random(state: 7)
        let blanks = ["", " ", "\n", " \t ", "\r\n  ", String(repeating: " ", count: 70)]
        for round in 0..<300 {
            var names: [String] = [], values: [String?] = [], members: [String] = []
            for k in 0..<(1 + r.next(7)) {
                // Raw name bytes, as the watched key is spelled in the input (escapes included).
                let name = "n\(k)" + String(repeating: "x", count: [0, 5, 60, 130][r.next(4)]) + (r.next(3) == 0 ? "\\\"q" : "")
                let value: String? = r.next(3) == 0 ? nil : Self.nastyString(&r)
                let others = ["42", "true", "null", #"[1,{"a":"b:c"}]"#, #"{"k" : "v","n":[1,2]}"#]
                let rendered = value.map { "\"\($0)\"" } ?? others[r.next(others.count)]
                names.append(name)
                values.append(rendered.hasPrefix("\"") ? value : nil)
                members.append("\"\(name)\"" + blanks[r.next(blanks.count)] + ":" + blanks[r.next(blanks.count)] + rendered)
            }
            let record = String(repeating: " ", count: round % 64) + "{" + members.joined(separator: "," + blanks[r.next(blanks.count)]) + "}"
            let bytes = Array((record + "\n").utf8)
            var spans: [[Range<Int>?]] = [], errors: [JSONSplitError] = []
            bytes.withUnsafeBytes { buffer in
                JSONRecordSplitter(watchedKeys: names).split(buffer, onRecord: { spans.append(Array($0.fields)) }, onError: { errors.append($0) })
                #expect(errors.isEmpty, "round \(round): \(errors)")
                guard let fields = spans.first, spans.count == 1 else { Issue.record("round \(round): \(spans.count) records"); return }
                for (k, expected) in values.enumerated() {
                    let captured = fields[k].map { String(decoding: buffer[$0], as: UTF8.self) }
                    #expect(captured == expected, "round \(round), member \(k) in \(record)")
                }
            }
        }
    }

    /// The captured `eventName` of each record, and the errors.
    static func names(_ text: String) -> (names: [String], errors: [JSONSplitError]) {
        var names: [String] = []
        var errors: [JSONSplitError] = []
        Array(text.utf8).withUnsafeBytes { buffer in
            JSONRecordSplitter(watchedKeys: ["eventName"]).split(buffer, onRecord: { span in
                names.append(span.fields[0].map { String(decoding: buffer[$0], as: UTF8.self) } ?? "-")
            }, onError: { errors.append($0) })
        }
        return (names, errors)
    }

    @Test func escapesAndStringsAcrossBlockEdges() {
        // A run of backslashes ending exactly at a block edge, then the quote it escapes (or not).
        for run in 1...4 {
            for offset in 50...70 {
                let filler = String(repeating: "f", count: offset)
                let body = filler + String(repeating: "\\\\", count: run) + "\\\"" + "}{"
                let (names, errors) = Self.names("{\"eventName\":\"\(body)\",\"x\":[1,{\"y\":\"]\"}]}\n")
                #expect(errors.isEmpty, "run \(run) offset \(offset)")
                #expect(names == [body], "run \(run) offset \(offset)")
            }
        }
    }

    @Test func aNewlineInsideAStringEndsTheRecordThere() {
        let (names, errors) = Self.names("{\"eventName\":\"broken\n{\"eventName\":\"next\"}\n")
        #expect(names == ["next"])
        #expect(errors.count == 1)
        #expect(errors.first?.offset == 20)
        #expect(errors.first?.reason.contains("line ends inside") == true)
    }
}

/// The substring search anchors on a needle's rarest byte; it must find what a naive search finds.
@Suite struct AnchoredSearchTests {
    @Test func findsWhatANaiveSearchFinds() {
        var r = StructuralScanTests.Random(state: 7)
        let alphabet = Array("aeIMs.=\"x".utf8)
        for _ in 0..<300 {
            let haystack = (0..<r.next(200)).map { _ in alphabet[r.next(alphabet.count)] }
            let needle = (0..<(1 + r.next(4))).map { _ in alphabet[r.next(alphabet.count)] }
            let from = haystack.isEmpty ? 0 : r.next(haystack.count)
            var naive: Int? = nil
            if haystack.count >= needle.count, from <= haystack.count - needle.count {
                for i in from...(haystack.count - needle.count) where naive == nil && i >= from && Array(haystack[i..<(i + needle.count)]) == needle { naive = i }
            }
            haystack.withUnsafeBytes { buffer in
                #expect(ByteSearch.firstIndex(of: needle, in: buffer, range: from..<haystack.count) == naive, "\(needle) in \(haystack) from \(from)")
            }
        }
    }
}
