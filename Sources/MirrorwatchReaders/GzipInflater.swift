import CZlib
import MirrorwatchModel

/// Inflates gzip (and zlib) data as it is read, into whatever space the caller offers, so a
/// compressed file never has to be inflated whole into memory. Handles multi-member files (as
/// written by concatenating `.gz` parts) and zero padding after the last member. A truncated
/// or corrupt stream keeps everything inflated before the damage and reports where it stopped.
///
/// zlib is driven directly rather than through compress-nio: compress-nio 1.5 does not say
/// when a member ends (it hides `Z_STREAM_END`), so through it a truncated file cannot be told
/// from a complete one.
final class GzipInflater {
    struct Failure: Error, Sendable {
        /// Compressed bytes consumed before the problem.
        var compressedOffset: Int
        /// Bytes produced before the problem.
        var inflatedBytes: Int
        var reason: String

        /// The problem as an input issue: where the damage is, and that what came before is read.
        func issue(input: String) -> InputIssue {
            InputIssue(input: input, position: "compressed byte \(compressedOffset)",
                       reason: "\(reason); the \(inflatedBytes) bytes before it are still read")
        }
    }

    /// Whether `bytes` start with the gzip magic number.
    static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    /// Reads compressed bytes into the buffer it is given; returns how many (0 at the end).
    private let readCompressed: (UnsafeMutableRawBufferPointer) -> Int
    private var inputEnded = false
    private var started = false
    private var memberEnded = false
    /// A failure met after some bytes of the same call: thrown by the next call.
    private var pendingFailure: Failure?
    private(set) var finished = false
    /// Compressed bytes read so far.
    private(set) var compressedRead = 0
    /// Bytes produced so far.
    private(set) var produced = 0

    /// - Parameter readCompressed: fills the given buffer with the next compressed bytes.
    init(inputChunk: Int = 1 << 18, readCompressed: @escaping (UnsafeMutableRawBufferPointer) -> Int) {
        input = .allocate(byteCount: inputChunk, alignment: 16)
        self.readCompressed = readCompressed
    }

    deinit {
        if started { inflateEnd(&stream) }
        input.deallocate()
    }

    private var compressedConsumed: Int { compressedRead - Int(stream.avail_in) }

    /// Inflates into `output`; returns the bytes written (0 only when the stream is finished).
    /// Throws after the good bytes were returned by earlier calls, when the data is damaged.
    func inflate(into output: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        if let failure = pendingFailure { pendingFailure = nil; throw failure }
        guard !finished, let outBase = output.baseAddress, output.count > 0 else { return 0 }
        if !started {
            let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { finished = true; throw Failure(compressedOffset: 0, inflatedBytes: 0, reason: "zlib could not start (\(status))") }
            started = true
        }
        stream.next_out = outBase.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !refill() {
                if memberEnded { finished = true; break }
                // zlib may still hold decoded bytes it had no room for: let it write them out.
                let room = stream.avail_out
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                if status == Z_STREAM_END { memberEnded = true; continue }
                if stream.avail_out < room && (status == Z_OK || status == Z_BUF_ERROR) { continue }
                finished = true
                return try fail(output, "gzip stream is truncated (ends after \(compressedConsumed) compressed bytes)")
            }
            if memberEnded {
                // Another member may follow (concatenated files); zero padding after the last one ends the stream.
                while stream.avail_in > 0, stream.next_in.pointee == 0 { stream.next_in += 1; stream.avail_in -= 1 }
                if stream.avail_in == 0 { continue }
                inflateReset(&stream)
                memberEnded = false
            }
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END: memberEnded = true
            case Z_OK, Z_BUF_ERROR: continue
            default:
                finished = true
                return try fail(output, "gzip data is corrupt: \(stream.msg.map { String(cString: $0) } ?? "error \(status)")")
            }
        }
        let count = written(output)
        produced += count
        return count
    }

    /// Returns the bytes this call produced and keeps the failure for the next call, or throws it now.
    private func fail(_ output: UnsafeMutableRawBufferPointer, _ reason: String) throws(Failure) -> Int {
        let count = written(output)
        let failure = Failure(compressedOffset: compressedConsumed, inflatedBytes: produced + count, reason: reason)
        produced += count
        guard count > 0 else { throw failure }
        pendingFailure = failure
        return count
    }

    private func written(_ output: UnsafeMutableRawBufferPointer) -> Int {
        UnsafeMutableRawPointer(stream.next_out) - output.baseAddress!
    }

    /// Reads the next compressed chunk; false at the end of the input.
    private func refill() -> Bool {
        guard !inputEnded else { return false }
        let n = readCompressed(input)
        guard n > 0 else { inputEnded = true; return false }
        compressedRead += n
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(n)
        return true
    }
}
