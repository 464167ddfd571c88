import Foundation

/// Debian's headless Chromium, for tests that look at pages in a real browser.
public enum HeadlessChromium {
    /// The browser binary, when installed.
    public static let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "headless Chromium is needed: apt-get install chromium" }
    }

    /// Runs headless Chromium on `url` with `arguments` (`--dump-dom`, `--screenshot=…`) in a fresh
    /// profile; returns standard output.
    public static func run(_ arguments: [String], url: String) throws -> String {
        guard let binary else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let profile = TemporaryDirectory()
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                             "--user-data-dir=\(profile.path)"] + arguments + [url]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
