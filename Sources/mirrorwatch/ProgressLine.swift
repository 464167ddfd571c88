#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Mirrorwatch

/// A one-line progress display on a terminal's standard error while inputs are read: inputs read
/// of those found, bytes and records so far, and the read rate. Redrawn at most a few times a
/// second, cut to the terminal's width (a wrapped line could not be redrawn in place), and wiped
/// when reading ends so the summary that follows starts on a clean line.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private var drawn = false
    private let write: (String) -> Void
    /// Shortest time between two redraws.
    static let interval: TimeInterval = 0.2

    init(write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) { self.write = write }

    /// Draws `progress` unless the last draw was too recent (the last input is always drawn).
    func update(_ progress: ScanProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard progress.inputsRead == progress.inputs || now.timeIntervalSince(lastDrawn) >= Self.interval else { return }
        lastDrawn = now
        drawn = true
        write("\r\u{1B}[K" + String(Self.text(progress, elapsed: now.timeIntervalSince(started)).prefix(Self.columns() - 1)))
    }

    /// Clears the line, if anything was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// The width of the terminal on standard error (80 when it cannot be told).
    static func columns() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 1 else { return 80 }
        return Int(size.ws_col)
    }

    /// `mirrorwatch: 12/40 inputs, 310.2 MB, 245,311 records, 1.6 GB/s`
    static func text(_ progress: ScanProgress, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(progress.bytesRead) / elapsed : 0
        return "mirrorwatch: \(progress.inputsRead)/\(progress.inputs) inputs, \(bytes(Double(progress.bytesRead))), "
            + "\(progress.recordsRead.formatted()) records, \(bytes(rate))/s"
    }

    static func bytes(_ value: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = value, unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }
}
