import CZlib

/// Streams gzip (and zlib) data through zlib, including multi-member files as written by
/// concatenating `.gz` parts. A truncated or corrupt stream keeps everything inflated before
/// the damage and reports where it stopped.
public enum GzipInflater {
    public struct Failure: Error, Sendable {
        /// Compressed bytes consumed before the problem.
        public var compressedOffset: Int
        /// Bytes produced before the problem.
        public var inflatedBytes: Int
        public var reason: String
    }

    /// Whether `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates `input`, handing each produced chunk to `sink`. Throws after delivering all
    /// good data when the stream is truncated or corrupt.
    public static func inflate(_ input: UnsafeRawBufferPointer, chunkSize: Int = 1 << 20,
                               sink: (UnsafeRawBufferPointer) -> Void) throws(Failure) {
        guard let inputBase = input.baseAddress, input.count > 0 else { return }
        var stream = z_stream()
        var status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(compressedOffset: 0, inflatedBytes: 0, reason: "zlib could not start (\(status))") }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { output.deallocate() }
        stream.next_in = UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(min(input.count, Int(UInt32.max)))
        var produced = 0
        var consumedBefore = 0
        while true {
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(chunkSize)
            status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let have = chunkSize - Int(stream.avail_out)
            if have > 0 {
                sink(UnsafeRawBufferPointer(rebasing: output[0..<have]))
                produced += have
            }
            let consumed = consumedBefore + Int(stream.total_in)
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow (concatenated files).
                let remaining = input.count - consumed
                var k = consumed
                while k < input.count, input[k] == 0 { k += 1 }  // zero padding after the last member
                if remaining <= 0 || k >= input.count { return }
                consumedBefore = consumed
                inflateReset(&stream)
                stream.total_in = 0
                continue
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 {
                    throw Failure(compressedOffset: consumed, inflatedBytes: produced, reason: "gzip stream is truncated (ends after \(consumed) compressed bytes)")
                }
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw Failure(compressedOffset: consumed, inflatedBytes: produced, reason: "gzip data is corrupt: \(message)")
            }
        }
    }
}
