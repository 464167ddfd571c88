import CMappedFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Part of a regular file read through a read-only memory mapping instead of copied into a buffer.
///
/// A file that shrinks while mapped would make reads past its new end fault (SIGBUS) and kill the
/// process; the mapping is guarded (`CMappedFile`) so such reads see zeros instead, and the caller
/// learns that it happened and reports it.
enum FileMapping {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// What came of reading a mapped range.
    struct Outcome<Result> {
        var result: Result
        /// Reads faulted: the file shrank while mapped, and zeros were read in place of its end.
        var shrank: Bool
    }

    /// Maps bytes `range` of the file open as `fd` and calls `body` with them; nil (without calling
    /// `body`) when the range cannot be mapped, so the caller reads it another way.
    static func read<Result>(_ fd: Int32, _ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Result) -> Outcome<Result>? {
        guard !range.isEmpty else { return Outcome(result: body(UnsafeRawBufferPointer(start: nil, count: 0)), shrank: false) }
        let start = range.lowerBound - range.lowerBound % pageSize
        let length = range.upperBound - start
        guard let pages = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(start)), pages != MAP_FAILED else { return nil }
        defer { munmap(pages, length) }
        let slot = mw_mapping_guard(pages, length)
        guard slot >= 0 else { return nil }
        _ = madvise(pages, length, MADV_SEQUENTIAL)
        let result = body(UnsafeRawBufferPointer(start: pages + (range.lowerBound - start), count: range.count))
        return Outcome(result: result, shrank: mw_mapping_release(slot) == 1)
    }
}
