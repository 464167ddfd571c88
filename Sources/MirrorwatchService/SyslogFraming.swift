import NIOCore

/// Splits a syslog TCP stream into messages (RFC 6587): octet counting (`LEN SP MSG`) when a
/// message starts with a digit, otherwise non-transparent framing (a message per line, ended by
/// LF, CR LF or NUL). A line longer than `maximumLength` is cut there and passed on; an
/// octet-counted frame announcing more than `maximumLength` bytes is refused (`OversizedFrame`, which
/// ends the connection) before any of it is held.
struct SyslogFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximumLength: Int

    /// An octet count above the limit: the sender would have the listener hold that much.
    struct OversizedFrame: Error, CustomStringConvertible {
        let length: Int
        let maximum: Int
        var description: String { "an octet-counted frame of \(length) bytes (the limit is \(maximum))" }
    }

    /// The most bytes a connection's decoder holds: the longest frame and its count.
    var maximumBuffer: Int { maximumLength + 16 }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        // Separators left between messages.
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == 0x0A || byte == 0x0D || byte == 0x00 || byte == 0x20 {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return .needMoreData }
        if first >= 0x30 && first <= 0x39, let length = Self.octetCount(buffer) {
            guard let (digits, count) = length else { return .needMoreData }
            guard count <= maximumLength else { throw OversizedFrame(length: count, maximum: maximumLength) }
            guard buffer.readableBytes >= digits + 1 + count else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: digits + 1)
            context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: count)!))
            return .continue
        }
        let view = buffer.readableBytesView
        if let end = view.firstIndex(where: { $0 == 0x0A || $0 == 0x00 }) {
            let length = end - view.startIndex
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D { line.moveWriterIndex(to: line.writerIndex - 1) }
            context.fireChannelRead(Self.wrapInboundOut(line))
            return .continue
        }
        if buffer.readableBytes >= maximumLength {
            context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: maximumLength)!))
            return .continue
        }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        let state = try decode(context: context, buffer: &buffer)
        if state == .needMoreData, buffer.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: buffer.readableBytes)!))
        }
        return .needMoreData
    }

    /// For a message starting with digits: nil when it is not octet counting (`<189>` has no digits
    /// first; a line like `2026-11-03T...` has a dash after its digits), `.some(nil)` when the count
    /// is not complete yet, else the number of digits and the count.
    static func octetCount(_ buffer: ByteBuffer) -> (Int, Int)?? {
        var digits = 0, count = 0
        while let byte = buffer.getInteger(at: buffer.readerIndex + digits, as: UInt8.self) {
            if byte == 0x20 { return digits > 0 ? .some((digits, count)) : nil }
            guard byte >= 0x30 && byte <= 0x39, digits < 9 else { return nil }
            count = count * 10 + Int(byte - 0x30)
            digits += 1
        }
        return .some(nil)
    }
}
