import MirrorwatchModel
import Testing

/// The fast lowercasing used for identity keys gives what `lowercased()` gives.
@Suite struct ASCIILowercaseTests {
    @Test func agreesWithLowercasedOnASCIIAndOtherText() {
        let samples = ["", "arn:aws:iam::111122223333:role/DeployRole", "already lower", "MiXeD-Case_42@/:", "AZ az @[`{",
                       "ÉCOLE", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "aws-cli/2.18.4 Python/3.12", String(repeating: "Ab", count: 40)]
        for text in samples { #expect(text.asciiLowercased == text.lowercased(), "\(text)") }
    }

    @Test func onlyASCIILettersChangeInASCIIText() {
        let all = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let lowered = Array(all.asciiLowercased.utf8)
        for (byte, result) in zip(Array(all.utf8), lowered) {
            #expect(result == ((0x41...0x5A).contains(byte) ? byte + 0x20 : byte))
        }
    }
}
