import Crypto
import Foundation
import Mirrorwatch

/// SHA-256 of the inputs a report was built from, so an auditor can show which files said what.
/// Files are hashed as stored (compressed bytes for `.gz`), streamed in 1 MiB blocks.
public enum InputHasher {
    /// Hex digest of the file at `path`; nil for standard input or a file that cannot be read.
    public static func sha256(path: String) -> String? {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Digests for every input of the scan that is a readable file.
    public static func digests(of reports: [InputReport]) -> [String: String] {
        var digests: [String: String] = [:]
        for report in reports where digests[report.input] == nil { digests[report.input] = sha256(path: report.input) }
        return digests
    }
}
