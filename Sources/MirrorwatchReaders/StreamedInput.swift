#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MirrorwatchModel

/// Bytes that a reader takes window by window: a whole loaded input is one window, a streamed
/// file many. Readers that can work this way never need an input whole in memory.
public protocol ByteWindows {
    /// The name evidence refers to.
    var name: String { get }
    /// When the input was last modified, if known.
    var modified: Date? { get }
    /// Calls `body` with successive windows of the input. `body` returns how many bytes at the
    /// window's start it is done with; the rest starts the next window (so a record cut by a
    /// window's end is seen whole). With `isLast` it must take everything.
    func forEachWindow(_ body: (_ window: UnsafeRawBufferPointer, _ isLast: Bool) -> Int)
}

extension ByteWindows {
    /// Calls `body` with successive windows that end at a line's end (the last may end without
    /// one), for line-oriented formats: no line is ever cut.
    public func forEachWindowOfLines(_ body: (_ lines: UnsafeRawBufferPointer) -> Void) {
        forEachWindow { window, isLast in
            var end = window.count
            if !isLast {
                guard let afterLast = LineIndex.endOfLastLine(in: window) else { return 0 }
                end = afterLast
            }
            body(UnsafeRawBufferPointer(rebasing: window[0..<end]))
            return end
        }
    }
}

extension LoadedInput: ByteWindows {
    public func forEachWindow(_ body: (UnsafeRawBufferPointer, Bool) -> Int) {
        bytes.withUnsafeBytes { _ = body($0, true) }
    }
}

/// An input file (or standard input) read in bounded windows, gzip inflated on the way: memory
/// stays at the window size however large the file. The first bytes are read on opening, so
/// the format can be sniffed from `head` before reading goes on. Uncompressed regular files of a
/// megabyte or more (or larger than the window) are read through guarded memory mappings
/// (`FileMapping`), window by window, instead of being copied into the window.
public final class StreamedInput: ByteWindows {
    /// Window size to start with; a window grows only to hold one record larger than it.
    public static let defaultWindow = 8 << 20
    /// A window never grows past this: a "record" larger than it is handed over as it is.
    public static let maximumWindow = 256 << 20
    /// Uncompressed regular files at least this large, or larger than the window, are mapped rather than read.
    public static let minimumMappedSize = 1 << 20

    public let name: String
    /// The name without a compression suffix, used to sniff the format (`x.csv.gz` → `x.csv`).
    public let logicalName: String
    public let modified: Date?
    /// Problems met while reading (unreadable file, damaged gzip).
    public private(set) var issues: [InputIssue] = []
    /// Bytes read from storage (compressed, for gzip).
    public private(set) var storedBytes = 0
    /// Bytes handed to readers (inflated).
    public private(set) var deliveredBytes = 0

    private let fd: Int32
    private var inflater: GzipInflater?
    private var window: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var ended = false
    /// Whether windows come from mappings of the file (its first bytes are still in `window`, for `head`).
    private var mapping = false
    /// Whether the input is a regular file (that can be mapped), and its size on opening.
    private var regularSize: Int?
    /// The window size asked for on opening.
    private let windowSize: Int

    /// Opens `name` (`-` for standard input) and reads its first window.
    public init(_ name: String, window size: Int = StreamedInput.defaultWindow) {
        self.name = name
        var logical = name
        for suffix in [".gz", ".gzip"] where logical.lowercased().hasSuffix(suffix) { logical.removeLast(suffix.count) }
        logicalName = logical
        windowSize = max(size, 64)
        window = Self.allocateWindow(windowSize)
        var info = stat()
        if name == "-" {
            fd = 0
            modified = nil
        } else {
            fd = open(name, O_RDONLY)
            if fd >= 0, fstat(fd, &info) == 0 {
                modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
                if (info.st_mode & S_IFMT) == S_IFREG { regularSize = Int(info.st_size) }
            } else {
                modified = nil
            }
        }
        if fd < 0 {
            fail("cannot read: \(String(cString: strerror(errno)))")
        } else if name != "-", (info.st_mode & S_IFMT) == S_IFDIR {
            fail("cannot read: is a directory")
        } else {
            startReading()
        }
    }

    deinit {
        if fd > 0 { close(fd) }
        Self.releaseWindow(window)
    }

    /// Windows are mapped pages of their own, given back to the system when released: through
    /// malloc, freed windows stayed in per-thread arenas (seen: 53 to 344 MB peak for the same scan).
    /// A few default-size windows are kept for the next inputs: mapping fresh pages for every file
    /// cost more system time than reading it.
    private static func allocateWindow(_ bytes: Int) -> UnsafeMutableRawBufferPointer {
        if bytes == defaultWindow, let kept = WindowPool.shared.take() { return kept }
        guard let pages = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), pages != MAP_FAILED else {
            fatalError("out of memory: cannot map \(bytes) bytes for an input window")
        }
        return UnsafeMutableRawBufferPointer(start: pages, count: bytes)
    }

    private static func releaseWindow(_ window: UnsafeMutableRawBufferPointer) {
        if window.count == defaultWindow, WindowPool.shared.keep(window) { return }
        munmap(window.baseAddress, window.count)
    }

    /// The start of the input (up to 16 KB, inflated), for sniffing its format.
    public var head: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: window[0..<min(filled, 16384)]) }

    /// Whether the input is UTF-16 with a byte order mark (readers need it converted first).
    public var isUTF16: Bool { filled >= 2 && ((window[0] == 0xFF && window[1] == 0xFE) || (window[0] == 0xFE && window[1] == 0xFF)) }

    public func forEachWindow(_ body: (UnsafeRawBufferPointer, Bool) -> Int) {
        if mapping, let from = forEachMappedWindow(body) {
            // The file could not be mapped from `from` on: read the rest.
            mapping = false
            filled = 0
            storedBytes = from
            if lseek(fd, off_t(from), SEEK_SET) < 0 { fail("cannot read past byte \(from): \(String(cString: strerror(errno)))") }
        } else if mapping {
            // Read to the end: a second pass, like one over a read file, finds nothing more.
            mapping = false
            ended = true
            filled = 0
            return
        }
        while true {
            fill()
            let full = UnsafeRawBufferPointer(rebasing: window[0..<filled])
            let consumed = min(max(body(full, ended), 0), filled)
            if ended { deliveredBytes += filled; filled = 0; return }
            deliveredBytes += consumed
            if consumed > 0 {
                memmove(window.baseAddress!, window.baseAddress! + consumed, filled - consumed)
                filled -= consumed
            } else if filled == window.count {
                guard window.count < Self.maximumWindow else {
                    // One "record" larger than any window: hand it over as if it were the end, then go on.
                    _ = body(full, true)
                    deliveredBytes += filled
                    filled = 0
                    continue
                }
                let larger = Self.allocateWindow(min(window.count * 2, Self.maximumWindow))
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: window[0..<filled]))
                Self.releaseWindow(window)
                window = larger
            }
        }
    }

    /// Hands `body` windows mapped from the file, each starting where the last one's consumed
    /// bytes end. Returns nil when done, or the offset from which the file could not be mapped.
    private func forEachMappedWindow(_ body: (UnsafeRawBufferPointer, Bool) -> Int) -> Int? {
        var offset = 0
        var length = windowSize
        // After a window of the largest size that took nothing: the same window again, as if it were the end.
        var handOver = false
        // The file's size when the last window was mapped: it may grow (a file still being written), never shrink.
        var known = 0
        while true {
            // The size now: a file still being written is read to its end as it is when reached.
            guard let size = currentSize() else {
                issue(at: offset, "cannot tell the file's size: \(String(cString: strerror(errno)))")
                return nil
            }
            // Also when it shrank to just where reading got to: the record the last window left for this one is gone.
            guard size >= known else {
                issue(at: offset, "the file shrank to \(size) bytes while it was read, after \(offset) had been read")
                return nil
            }
            known = size
            let end = min(offset + length, size)
            let atEnd = end == size
            let isLast = atEnd || handOver
            guard let outcome = FileMapping.read(fd, offset..<end, { body($0, isLast) }) else { return offset }
            storedBytes = max(storedBytes, end)
            // Shrunk under the window: reads past the new end faulted, or (within its last page) read zeros.
            if outcome.shrank || currentSize().map({ $0 < end }) == true {
                issue(at: offset, "the file shrank while it was read: bytes past its new end were read as zeros (records there are reported as broken)")
                deliveredBytes += end - offset
                return nil
            }
            let consumed = min(max(outcome.result, 0), end - offset)
            if atEnd { deliveredBytes += end - offset; return nil }
            if handOver {
                deliveredBytes += end - offset
                offset = end
                length = windowSize
                handOver = false
            } else if consumed > 0 {
                deliveredBytes += consumed
                offset += consumed
                length = windowSize
            } else if length < Self.maximumWindow {
                length = min(length * 2, Self.maximumWindow)
            } else {
                // One "record" larger than any window: handed over as it is, then reading goes on after it.
                handOver = true
            }
        }
    }

    /// The file's size now, or nil when it cannot be told.
    private func currentSize() -> Int? {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Notes a problem met at byte `offset` of the file.
    private func issue(at offset: Int, _ reason: String) {
        issues.append(InputIssue(input: name, position: "byte \(offset)", reason: reason))
    }

    /// The whole input in memory (for formats read as one document), UTF-16 converted.
    public func loadAll() -> LoadedInput {
        var bytes: [UInt8] = []
        forEachWindow { window, _ in
            bytes.append(contentsOf: window)
            return window.count
        }
        return LoadedInput(name: name, logicalName: logicalName, bytes: TextEncoding.utf8(bytes), compressedBytes: storedBytes,
                           issues: issues, modified: modified)
    }

    private func fail(_ reason: String) {
        issues.append(InputIssue(input: name, position: "file", reason: reason))
        ended = true
    }

    /// Reads the first bytes raw, decides whether they are gzip, and fills the first window.
    private func startReading() {
        let first = readRaw(into: UnsafeMutableRawBufferPointer(rebasing: window[0..<min(window.count, 1 << 16)]))
        if GzipInflater.isGzip(UnsafeRawBufferPointer(rebasing: window[0..<first])) {
            var pending = Array(UnsafeRawBufferPointer(rebasing: window[0..<first]))
            let fd = self.fd
            inflater = GzipInflater { [unowned self] buffer in
                if !pending.isEmpty {
                    let n = min(pending.count, buffer.count)
                    pending.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    pending.removeFirst(n)
                    return n
                }
                return self.readRaw(into: buffer, fd: fd)
            }
        } else {
            filled = first
            if first == 0 { ended = true }
            if let size = regularSize, size >= min(Self.minimumMappedSize, windowSize), first < size {
                // Windows come from mappings; the bytes read so far stay in `window` for `head`.
                mapping = true
                return
            }
        }
        fill()
    }

    /// Fills the window from the file, inflating gzip.
    private func fill() {
        while !ended && filled < window.count {
            let space = UnsafeMutableRawBufferPointer(rebasing: window[filled...])
            if let inflater {
                do throws(GzipInflater.Failure) {
                    let n = try inflater.inflate(into: space)
                    if n == 0 { ended = true }
                    filled += n
                } catch {
                    issues.append(error.issue(input: name))
                    ended = true
                }
            } else {
                let n = readRaw(into: space)
                if n == 0 { ended = true }
                filled += n
            }
        }
    }

    /// Reads up to `buffer.count` bytes from the file (0 at its end or on an error, which is noted).
    private func readRaw(into buffer: UnsafeMutableRawBufferPointer, fd: Int32? = nil) -> Int {
        var total = 0
        while total < buffer.count {
            let n = read(fd ?? self.fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                issues.append(InputIssue(input: name, position: "byte \(storedBytes + total)", reason: "read failed: \(String(cString: strerror(errno)))"))
                break
            }
            if n == 0 { break }
            total += n
        }
        storedBytes += total
        return total
    }
}

/// Default-size windows released by finished inputs, kept (a few) for the next ones.
private final class WindowPool: @unchecked Sendable {
    static let shared = WindowPool()
    /// At most this many idle windows are kept (more than the cores that read at once is waste).
    private let capacity = max(2, ProcessInfo.processInfo.activeProcessorCount)
    private var idle: [UnsafeMutableRawBufferPointer] = []
    private let lock = NSLock()

    func take() -> UnsafeMutableRawBufferPointer? {
        lock.lock(); defer { lock.unlock() }
        return idle.popLast()
    }

    func keep(_ window: UnsafeMutableRawBufferPointer) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard idle.count < capacity else { return false }
        idle.append(window)
        return true
    }
}
