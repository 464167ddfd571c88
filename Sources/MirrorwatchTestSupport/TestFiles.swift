import Foundation

/// A temporary directory for a test's input files, removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String
    /// The modification time every written file gets.
    public static let fileTime = Date(timeIntervalSince1970: 1_793_836_800)  // 2026-11-05T00:00:00Z

    public init() {
        path = NSTemporaryDirectory() + "mirrorwatch-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` at `name` (sub-directories created) and returns the full path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = (path as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        // A fixed time (2026-11-05), so that years inferred from file times and live-state times do not
        // depend on when the tests run.
        try? FileManager.default.setAttributes([.modificationDate: TemporaryDirectory.fileTime], ofItemAtPath: full)
        return full
    }

    /// Writes `text` gzip-compressed (using the system's gzip).
    @discardableResult
    public func writeGzip(_ name: String, _ text: String) -> String {
        let plain = write(name + ".plain", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let target = (path as NSString).appendingPathComponent(name)
        process.arguments = ["-c", "gzip -c '\(plain)' > '\(target)' && rm '\(plain)'"]
        try! process.run()
        process.waitUntilExit()
        return target
    }
}

/// Places in the repository tests read from.
public enum RepositoryPaths {
    /// The package root (found from this file's location).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var examples: String { root + "/examples" }

    /// `../shared/datasets` beside the repository, when present (real public records).
    public static var datasets: String? {
        let candidates = [root + "/../shared/datasets", root + "/../../shared/datasets"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The built `mirrorwatch` executable next to the test bundle.
    public static var executable: String {
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent().path
        for candidate in [Bundle.main.bundleURL.path + "/mirrorwatch", bundleDir + "/mirrorwatch", root + "/.build/debug/mirrorwatch"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return root + "/.build/debug/mirrorwatch"
    }
}

/// Runs a command and captures its output.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum Command {
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil, cwd: String? = nil) -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try! process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}
