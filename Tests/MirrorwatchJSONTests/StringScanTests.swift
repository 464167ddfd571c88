import CStructural
@testable import MirrorwatchJSON
import MirrorwatchTestSupport
import Testing

/// Where a run of plain string bytes ends: every vector implementation this CPU has, and the
/// Swift scan that hands long runs to them, give the byte loop's answer, on runs of every length
/// around the word and vector sizes with a special byte anywhere (or none), with and without
/// control characters counted. Bytes from 0x80 up (UTF-8) and DEL are never special.
@Suite struct StringScanTests {
    static let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F]
    static let plain: [UInt8] = [0x20, 0x41, 0x7A, 0x7F, 0x80, 0xC3, 0xA9, 0xFF, 0x2F, 0x21, 0x23]

    /// The reference: the first quote, backslash or (when `controls`) byte below 0x20.
    static func reference(_ bytes: [UInt8], from start: Int, controls: Bool) -> Int {
        bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || (controls && $0 < 0x20) } ?? bytes.count
    }

    /// Buffers of `length` plain bytes with at most one special at `at`.
    static func buffers(_ random: inout SeededGenerator) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for length in Array(0...140) + [191, 192, 193, 255, 256, 257, 700, 1023] {
            var bytes = (0..<length).map { _ in plain.randomElement(using: &random)! }
            out.append(bytes)
            if length > 0 {
                let at = Int.random(in: 0..<length, using: &random)
                bytes[at] = specials.randomElement(using: &random)!
                out.append(bytes)
                bytes[length - 1] = specials.randomElement(using: &random)!
                out.append(bytes)
            }
        }
        return out
    }

    @Test func everyImplementationFindsTheFirstSpecialByte() {
        var random = SeededGenerator(state: 11)
        var compared = 0
        for bytes in Self.buffers(&random) {
            for controls in [true, false] {
                let expected = Self.reference(bytes, from: 0, controls: controls)
                for name in ["avx512", "avx2", "scalar"] {
                    let found = bytes.withUnsafeBufferPointer { mw_string_special_using(name, $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count, controls ? 1 : 0) }
                    guard found >= 0 else { continue }  // this CPU has not got it
                    #expect(found == expected, "\(name), \(bytes.count) bytes, controls \(controls)")
                    compared += 1
                }
                let chosen = bytes.withUnsafeBufferPointer { mw_string_special($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count, controls ? 1 : 0) }
                #expect(chosen == expected)
            }
        }
        #expect(compared > 1000)
    }

    @Test func theSwiftScanAgreesFromEveryStart() {
        var random = SeededGenerator(state: 12)
        for bytes in Self.buffers(&random) where bytes.count > 60 || bytes.count % 7 == 0 {
            for controls in [true, false] {
                for start in Set([0, 1, 7, 8, 31, 32, 33, bytes.count / 2, bytes.count]) where start <= bytes.count {
                    let found = bytes.withUnsafeBytes { StringScan.firstSpecial(in: $0, from: start, controls: controls) }
                    #expect(found == Self.reference(bytes, from: start, controls: controls), "\(bytes.count) bytes from \(start)")
                }
            }
        }
    }

    /// Through the parser and the tape: a long value with a control character is refused, one with
    /// an escape late in it is read whole, the same by both.
    @Test func longStringsParseTheSameOnBothPaths() throws {
        let token = String(repeating: "IQoJb3JpZ2luX2VjECwaCXVzLWVhc3QtMSJHMEUC", count: 20)
        let escaped = Array(#"{"sessionToken":"\#(token)\"\#(token)\u00e9"}"#.utf8)
        let value = try JSONParser.parse(escaped)
        #expect(value["sessionToken"]?.text == token + "\"" + token + "é")
        var tape = JSONTape()
        let taken = escaped.withUnsafeBytes { tape.index($0) }
        #expect(taken)
        let broken = Array(#"{"sessionToken":"\#(token)"#.utf8) + [0x01] + Array(#"x"}"#.utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(broken) }
        let takenBroken = broken.withUnsafeBytes { tape.index($0) }
        #expect(!takenBroken)
    }

    /// The escape-by-escape reading `mw_escaped_string_end` stands in for: the first quote not
    /// escaped, when every byte before it is no control byte and every escape a one-letter one; nil
    /// otherwise (a `\u` escape, a wrong one, a control byte, no end).
    static func escapedEnd(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 { return i }
            if c < 0x20 { return nil }
            if c == 0x5C {
                guard i + 1 < bytes.count, Array(#""\/bfnrt"#.utf8).contains(bytes[i + 1]) else { return nil }
                i += 2
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Strings from a backslash on, full of escapes (runs of backslashes, escaped quotes, `\u`,
    /// wrong escapes, control bytes, quotes at and across every block edge): every vector
    /// implementation ends them where reading escape by escape does, or leaves them to it; and the
    /// tape reads them as the parser does.
    @Test func escapedStringsEndWhereReadingEscapeByEscapeEnds() throws {
        var random = SeededGenerator(state: 13)
        let pieces: [[UInt8]] = [Array(#"\n"#.utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\/"#.utf8), Array(#"\t"#.utf8),
                                 Array("ab".utf8), Array(" ".utf8), Array("é".utf8), Array("Statement".utf8), [0x22], [0x5C]]
        let rare: [[UInt8]] = [Array(#"\u00e9"#.utf8), Array(#"\x"#.utf8), [0x01], [0x0A], Array(#"\u12"#.utf8)]
        var fast = 0, compared = 0
        for round in 0..<3000 {
            var bytes: [UInt8] = Array(#"\n"#.utf8)
            let target = Int.random(in: 0..<260, using: &random)
            while bytes.count < target {
                bytes += round % 3 == 0 && Int.random(in: 0..<40, using: &random) == 0 ? rare.randomElement(using: &random)! : pieces.randomElement(using: &random)!
            }
            let expected = Self.escapedEnd(bytes)
            for name in ["avx512", "avx2"] {
                let found = bytes.withUnsafeBufferPointer { mw_escaped_string_end_using(name, $0.baseAddress!, bytes.count) }
                guard found != -2 else { continue }  // this CPU has not got it
                #expect(found == (expected.map(Int64.init) ?? -1), "\(name) round \(round): \(String(decoding: bytes, as: UTF8.self))")
                compared += 1
            }
            let chosen = bytes.withUnsafeBufferPointer { mw_escaped_string_end($0.baseAddress!, bytes.count) }
            #expect(chosen == -1 || chosen == expected.map(Int64.init))
            if chosen >= 0 { fast += 1 }
            // The tape and the parser read the string the same (both refuse it, or both read the same text).
            let document = Array(#"{"policy":""#.utf8) + bytes + Array(#"","x":1}"#.utf8)
            var tape = JSONTape()
            let taken = document.withUnsafeBytes { tape.index($0) }
            let parsed = try? JSONParser.parse(document)
            #expect(taken == (parsed != nil), "round \(round)")
            if taken, let parsed {
                let text = document.withUnsafeBytes { raw in tape.withRoot(of: raw) { $0.member(ignoringCase: "policy")?.text } } ?? nil
                #expect(text == parsed["policy"]?.text, "round \(round)")
            }
        }
        #expect(compared > 1000)
        if String(cString: mw_walk_implementation()) != "none" { #expect(fast > 500, "ended 64 bytes at a time: \(fast)") }
    }
}
