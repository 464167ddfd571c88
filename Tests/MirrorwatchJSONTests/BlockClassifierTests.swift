import CStructural
import Testing

/// Every implementation of the block classifier this CPU has (AVX-512BW, AVX2, SSE2) gives the
/// masks and carries of the byte loop, on random blocks full of quotes, backslashes, brackets and
/// newlines, chained over many blocks.
@Suite struct BlockClassifierTests {
    struct Output: Equatable {
        var quotes: [UInt64] = [], inside: [UInt64] = [], newlines: [UInt64] = [], opens: [UInt64] = [], closes: [UInt64] = [], colons: [UInt64] = []
        var escapeCarry: UInt64 = 0, stringCarry: UInt64 = 0
    }

    /// The masks from the implementation named, or nil when this CPU does not have it.
    func classify(_ bytes: [UInt8], escape: UInt64, string: UInt64, using name: String = "scalar") -> Output? {
        let count = bytes.count / 64
        var out = [mw_block](repeating: mw_block(), count: count)
        var result = Output(escapeCarry: escape, stringCarry: string)
        let ran = bytes.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                mw_classify_blocks_using(name, p.baseAddress!, count, &result.escapeCarry, &result.stringCarry, o.baseAddress!)
            }
        }
        guard ran == 1 else { return nil }
        result.quotes = out.map(\.quotes)
        result.inside = out.map(\.inside)
        result.newlines = out.map(\.newlines)
        result.opens = out.map(\.opens)
        result.closes = out.map(\.closes)
        result.colons = out.map(\.colons)
        return result
    }

    @Test func everyImplementationAgreesWithTheByteLoop() {
        let alphabet: [UInt8] = Array(#"""\\\{}[]:,a b1"#.utf8) + [0x0A, 0xC3, 0xA9, 0x00]
        var generator = SystemRandomNumberGenerator()
        var compared: Set<String> = []
        for round in 0..<200 {
            let blocks = 1 + round % 17
            // Runs of backslashes of every length, quotes right after them, block edges included.
            let bytes = (0..<(64 * blocks)).map { _ in alphabet.randomElement(using: &generator)! }
            for (escape, string) in [(UInt64(0), UInt64(0)), (1, 0), (0, 1), (1, 1)] {
                let reference = classify(bytes, escape: escape, string: string)
                #expect(reference != nil)
                for name in ["sse2", "avx2", "avx512"] {
                    guard let output = classify(bytes, escape: escape, string: string, using: name) else { continue }
                    compared.insert(name)
                    #expect(output == reference, "\(name), round \(round)")
                }
            }
        }
        #if arch(x86_64)
        #expect(compared.contains("sse2"))
        #endif
    }

    /// The classifier the process uses is the widest this CPU has.
    @Test func theWidestImplementationIsChosen() {
        let chosen = String(cString: mw_classify_implementation())
        let bytes = [UInt8](repeating: 0x22, count: 64)
        let available = ["avx512", "avx2", "sse2", "scalar"].filter { name in
            var escape: UInt64 = 0, string: UInt64 = 0
            var out = mw_block()
            return bytes.withUnsafeBufferPointer { mw_classify_blocks_using(name, $0.baseAddress!, 1, &escape, &string, &out) } == 1
        }
        #expect(chosen == available.first)
        #if arch(x86_64)
        #expect(available.contains("sse2"))
        #endif
    }

    @Test func quotesInsideAndEscapesOnAKnownBlock() {
        // {"a":"x\"y\\","b":[1]} padded to 64 bytes
        var bytes = Array(#"{"a":"x\"y\\","b":[1]}"#.utf8)
        bytes += [UInt8](repeating: 0x20, count: 64 - bytes.count)
        let out = classify(bytes, escape: 0, string: 0)!
        let quotePositions = (0..<64).filter { out.quotes[0] >> UInt64($0) & 1 == 1 }
        #expect(quotePositions == [1, 3, 5, 12, 14, 16], "the escaped quote at 8 is not a quote; the one after an escaped backslash is")
        #expect(out.inside[0] >> 9 & 1 == 1 && out.inside[0] >> 13 & 1 == 0, "inside the string up to its closing quote")
        #expect(out.opens[0] == (1 << 0 | 1 << 18) && out.closes[0] == (1 << 20 | 1 << 21))
        #expect(out.colons[0] == (1 << 4 | 1 << 17))
        #expect(out.stringCarry == 0 && out.escapeCarry == 0)
    }
}
