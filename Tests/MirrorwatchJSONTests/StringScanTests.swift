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
}
