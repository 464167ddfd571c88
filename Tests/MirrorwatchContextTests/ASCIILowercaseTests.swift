import MirrorwatchModel
import Testing

/// The fast lowercasing used for identity keys gives what `lowercased()` gives.
@Suite struct ASCIILowercaseTests {
    @Test func agreesWithLowercasedOnASCIIAndOtherText() {
        let samples = ["", "arn:aws:iam::111122223333:role/DeployRole", "already lower", "MiXeD-Case_42@/:", "AZ az @[`{",
                       "ÉCOLE", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "aws-cli/2.18.4 Python/3.12", String(repeating: "Ab", count: 40)]
        for text in samples { #expect(text.asciiLowercased == text.lowercased(), "\(text)") }
    }

    /// Read eight bytes at a time: an uppercase letter, or a byte that is not ASCII, at any position
    /// of a word or of the tail is seen.
    @Test func everyPositionOfWordsAndTail() {
        for length in [7, 8, 9, 16, 23, 40] {
            let lower = String(repeating: "a", count: length)
            #expect(lower.asciiLowercased == lower)
            for at in 0..<length {
                for (letter, expected) in [("Z", "z"), ("@", "@"), ("[", "["), ("É", "é")] {
                    var chars = Array(lower)
                    chars[at] = Character(letter)
                    let text = String(chars)
                    #expect(text.asciiLowercased == text.lowercased(), "\(text)")
                    #expect(text.asciiLowercased.contains(expected), "\(text)")
                }
            }
        }
    }

    @Test func onlyASCIILettersChangeInASCIIText() {
        let all = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let lowered = Array(all.asciiLowercased.utf8)
        for (byte, result) in zip(Array(all.utf8), lowered) {
            #expect(result == ((0x41...0x5A).contains(byte) ? byte + 0x20 : byte))
        }
    }
    /// `isASCII` reads eight bytes at a time: a non-ASCII character anywhere (in a word or in the
    /// bytes after the last whole word), in text of every length, is seen; small (inline) and
    /// bridged-free native strings alike.
    @Test func isASCIIWhereverTheOtherCharacterIs() {
        #expect("".isASCII)
        for length in 1...40 {
            let plain = String(repeating: "a", count: length)
            #expect(plain.isASCII, "\(length)")
            for at in 0..<length {
                var chars = Array(plain)
                chars[at] = "é"
                #expect(!String(chars).isASCII, "length \(length), at \(at)")
                chars[at] = "\u{7F}"
                #expect(String(chars).isASCII, "length \(length), at \(at)")
            }
        }
        let substring = "arn:aws:iam::111122223333:user/renée"[...]
        #expect(!String(substring).isASCII)
    }
}
