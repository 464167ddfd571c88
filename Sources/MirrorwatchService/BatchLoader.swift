import Foundation
import Mirrorwatch
import MirrorwatchStore

/// Stores files as batches, as a forwarder would post them: each file's bytes as they are on disk
/// (gzip stays gzip), named by its path (readers take the same hints from it as `scan` does from a
/// file's path), with its modification time and SHA-256. A file whose bytes and path are already
/// stored is skipped, so loading the same archive twice adds nothing.
public struct BatchLoader: Sendable {
    let store: any ServiceStore

    /// What a load did.
    public struct Summary: Sendable, CustomStringConvertible {
        public var stored = 0
        public var alreadyStored = 0
        public var bytes = 0
        /// Paths that could not be read, with the reason.
        public var problems: [String] = []
        /// Named paths that do not exist or whose directory cannot be listed (among `problems`).
        public var unreadablePaths = 0

        public var description: String {
            var text = "loaded \(stored) file\(stored == 1 ? "" : "s") as batches (\(bytes) bytes)"
            if alreadyStored > 0 { text += ", \(alreadyStored) already stored" }
            if !problems.isEmpty { text += "; could not read: " + problems.joined(separator: "; ") }
            return text
        }
    }

    public func load(_ paths: [String]) async throws -> Summary {
        var summary = Summary()
        let (files, issues) = InputSource.expand(paths)
        summary.problems = issues.map { "\($0.input): \($0.reason)" }
        summary.unreadablePaths = issues.filter { $0.position == InputIssue.pathPosition }.count
        let iso = ISO8601DateFormatter()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                summary.problems.append("\(file): cannot be read")
                continue
            }
            let bytes = [UInt8](data)
            guard !bytes.isEmpty else { continue }
            let source: String
            do { source = try ServiceRoutes.sourcePath(file) } catch {
                summary.problems.append("\(file): the path cannot name a batch (relative to the working directory, without '..', at most 512 bytes)")
                continue
            }
            let digest = FindingPipeline.sha256(bytes)
            let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date).map { iso.string(from: $0) }
            let (_, inserted) = try await store.insertBatchUnlessPresent(NewBatch(kind: "auto", bytes: bytes, receivedBy: "mirrorwatch serve --load",
                                                                                  sha256: digest, source: source, modified: modified))
            guard inserted else {
                summary.alreadyStored += 1
                continue
            }
            summary.stored += 1
            summary.bytes += bytes.count
        }
        return summary
    }
}
