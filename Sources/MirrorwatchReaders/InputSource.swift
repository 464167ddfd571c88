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
                issues.append(InputIssue(input: path, position: "path", reason: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            guard let walker = fm.enumerator(atPath: path) else {
                issues.append(InputIssue(input: path, position: "path", reason: "directory cannot be read"))
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
}
