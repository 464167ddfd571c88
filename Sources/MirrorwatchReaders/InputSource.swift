import MirrorwatchModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One input's bytes, after decompression, with problems met while loading it.
public struct LoadedInput: Sendable {
    /// The name evidence refers to: the path as given, or `-` for standard input.
    public var name: String
    /// The name without a compression suffix, used to sniff the format (`x.csv.gz` → `x.csv`).
    public var logicalName: String
    public var bytes: [UInt8]
    public var compressedBytes: Int
    public var issues: [InputIssue]
    /// The file's modification time (nil for standard input).
    public var modified: Date? = nil
}

/// Expands paths into input files and loads them, decompressing gzip on the way.
public enum InputSource {
    /// Files named by `paths`: directories are walked recursively (hidden entries skipped),
    /// in a stable sorted order; `-` stands for standard input. Paths that do not exist come
    /// back as issues.
    public static func expand(_ paths: [String]) -> (files: [String], issues: [InputIssue]) {
        var files: [String] = []
        var issues: [InputIssue] = []
        let fm = FileManager.default
        for path in paths {
            if path == "-" { files.append(path); continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                issues.append(InputIssue(input: path, position: InputIssue.pathPosition, reason: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            guard let walker = fm.enumerator(atPath: path) else {
                issues.append(InputIssue(input: path, position: InputIssue.pathPosition, reason: "directory cannot be read"))
                continue
            }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let last = (relative as NSString).lastPathComponent
                if last.hasPrefix(".") { walker.skipDescendants(); continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var childIsDirectory: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue {
                    found.append(full)
                }
            }
            files.append(contentsOf: found.sorted())
        }
        return (files, issues)
    }

    /// Reads one file (or standard input for `-`) into memory, inflating gzip.
    public static func load(_ name: String) -> LoadedInput {
        StreamedInput(name).loadAll()
    }

    /// An input received in memory (a batch posted to the service), named `name` for evidence:
    /// gzip is inflated (at most `limit` bytes; the rest is reported, not read) and UTF-16 converted.
    public static func load(name: String, bytes: [UInt8], limit: Int = .max) -> LoadedInput {
        var issues: [InputIssue] = []
        var content = bytes
        if bytes.withUnsafeBytes({ GzipInflater.isGzip($0) }) {
            var offset = 0
            let inflater = GzipInflater { buffer in
                let n = min(buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
                offset += n
                return n
            }
            content = []
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { chunk.deallocate() }
            while content.count < limit {
                do throws(GzipInflater.Failure) {
                    let n = try inflater.inflate(into: chunk)
                    if n == 0 { break }
                    content.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<min(n, limit - content.count)]))
                } catch {
                    issues.append(error.issue(input: name))
                    break
                }
            }
            if content.count >= limit, !inflater.finished {
                issues.append(InputIssue(input: name, position: "byte \(limit)", reason: "inflates to more than \(limit) bytes; the rest is not read"))
            }
        }
        return LoadedInput(name: name, logicalName: name, bytes: TextEncoding.utf8(content), compressedBytes: bytes.count, issues: issues)
    }
}
