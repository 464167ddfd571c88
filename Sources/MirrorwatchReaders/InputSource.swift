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
        var loaded = loadBytes(name)
        var info = stat()
        if name != "-", stat(name, &info) == 0 {
            loaded.modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        }
        return loaded
    }

    static func loadBytes(_ name: String) -> LoadedInput {
        var issues: [InputIssue] = []
        let raw: [UInt8]
        do {
            raw = try name == "-" ? readAll(fd: 0) : readFile(name)
        } catch {
            return LoadedInput(name: name, logicalName: name, bytes: [], compressedBytes: 0,
                               issues: [InputIssue(input: name, position: "file", reason: "cannot read: \(error)")])
        }
        var logical = name
        for suffix in [".gz", ".gzip"] where logical.lowercased().hasSuffix(suffix) { logical.removeLast(suffix.count) }
        let isGzip = raw.withUnsafeBytes { GzipInflater.isGzip($0) }
        guard isGzip else {
            return LoadedInput(name: name, logicalName: logical, bytes: TextEncoding.utf8(raw), compressedBytes: raw.count, issues: issues)
        }
        var inflated: [UInt8] = []
        inflated.reserveCapacity(raw.count * 8)
        raw.withUnsafeBytes { input in
            do throws(GzipInflater.Failure) {
                try GzipInflater.inflate(input) { chunk in inflated.append(contentsOf: chunk) }
            } catch {
                issues.append(InputIssue(input: name, position: "compressed byte \(error.compressedOffset)",
                                         reason: "\(error.reason); the \(error.inflatedBytes) bytes before it are still read"))
            }
        }
        return LoadedInput(name: name, logicalName: logical, bytes: TextEncoding.utf8(inflated), compressedBytes: raw.count, issues: issues)
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ReadError(description: "is a directory") }
        let size = Int(info.st_size)
        if size <= 0 { return try readAll(fd: fd) }
        var buffer = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            var total = 0
            while total < size {
                let n = read(fd, buf.baseAddress! + total, size - total)
                if n <= 0 { break }
                total += n
            }
            initialized = total
        }
        // The file may have grown while reading.
        let rest = try readAll(fd: fd)
        buffer.append(contentsOf: rest)
        return buffer
    }

    static func readAll(fd: Int32) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}
