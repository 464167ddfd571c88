import Foundation
import Logging
import MirrorwatchStore
import NIOCore
import NIOPosix
import NIOSSL

/// Receives device syslog on UDP, TCP and TLS (RFC 5425) and hands it on in batches: lines are collected and,
/// every `flushInterval` or `maximumLines`, stored as one batch (durable) and read by the pipeline's
/// syslog stream, so a session configured across batches is still one session.
final class SyslogListener: @unchecked Sendable {
    private let collector: SyslogCollector
    private var channels: [Channel] = []
    /// Where each listener is bound (`udp://127.0.0.1:5514`), once started.
    private(set) var addresses: [String] = []

    init(collector: SyslogCollector) {
        self.collector = collector
    }

    /// Binds the configured listeners; `udp`, `tcp` and `tls` are (host, port) pairs (port 0: any free port).
    func start(udp: (String, Int)?, tcp: (String, Int)?, tls: (String, Int, NIOSSLContext)? = nil, maximumLine: Int) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let collector = self.collector
        if let (host, port) = udp {
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65536))
                .channelInitializer { channel in channel.pipeline.addHandler(DatagramHandler(collector: collector)) }
                .bind(host: host, port: port).get()
            channels.append(channel)
            addresses.append("udp://\(host):\(channel.localAddress?.port ?? port)")
        }
        if let (host, port) = tcp {
            try await bindStream(host: host, port: port, scheme: "tcp", tls: nil, maximumLine: maximumLine)
        }
        if let (host, port, context) = tls {
            try await bindStream(host: host, port: port, scheme: "tls", tls: context, maximumLine: maximumLine)
        }
        collector.startFlushing()
    }

    /// A stream listener: framing (RFC 6587 octet counting or lines), behind TLS when `tls` is given.
    private func bindStream(host: String, port: Int, scheme: String, tls: NIOSSLContext?, maximumLine: Int) async throws {
        let collector = self.collector
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    let decoder = SyslogFrameDecoder(maximumLength: maximumLine)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder, maximumBufferSize: decoder.maximumBuffer))
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(collector: collector))
                }
            }
            .bind(host: host, port: port).get()
        channels.append(channel)
        addresses.append("\(scheme)://\(host):\(channel.localAddress?.port ?? port)")
    }

    /// Closes the listeners and stores what was still collected.
    func stop() async {
        for channel in channels { try? await channel.close() }
        channels = []
        await collector.drain()
    }

    private final class DatagramHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let collector: SyslogCollector
        init(collector: SyslogCollector) { self.collector = collector }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            // One message per datagram (RFC 5426); relays sometimes pack several lines.
            collector.add(envelope.data.readableBytesView.split(separator: 0x0A).map { Array($0) })
        }
    }

    private final class StreamHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let collector: SyslogCollector
        init(collector: SyslogCollector) { self.collector = collector }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            collector.add([Array(unwrapInboundIn(data).readableBytesView)])
        }

        /// A failed TLS handshake or an oversized frame ends that connection only (the latter counted).
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if error is SyslogFrameDecoder.OversizedFrame || error is ByteToMessageDecoderError.PayloadTooLargeError {
                collector.refused(error, from: context.remoteAddress)
            }
            context.close(promise: nil)
        }
    }
}

/// Lines received and not stored yet, stored as batches of kind `syslog-stream`.
final class SyslogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[UInt8]] = []
    private let store: any ServiceStore
    private let pipeline: FindingPipeline
    private let logger: Logger
    private let metrics: ServiceMetrics
    let flushInterval: Duration
    let maximumLines: Int
    /// The most lines and bytes held while storing fails or falls behind: past them, received lines
    /// are dropped (counted in `mirrorwatch_syslog_dropped_lines_total`, logged once per outage).
    let maximumPendingLines: Int
    let maximumPendingBytes: Int
    private var pendingBytes = 0
    /// Lines taken by the flush under way, until stored (they come back if storing fails): counted
    /// against the limits, so a failed flush never leaves more than them held.
    private var inFlightLines = 0, inFlightBytes = 0
    private var dropping = false
    private var flushRequested = false
    private var flusher: Task<Void, Never>?
    private var flushing = false

    init(store: any ServiceStore, pipeline: FindingPipeline, metrics: ServiceMetrics, logger: Logger, flushInterval: Duration = .milliseconds(200),
         maximumLines: Int = 20_000, maximumPendingLines: Int = 200_000, maximumPendingBytes: Int = 64 << 20) {
        self.metrics = metrics
        self.store = store
        self.pipeline = pipeline
        self.logger = logger
        self.flushInterval = flushInterval
        self.maximumLines = maximumLines
        self.maximumPendingLines = maximumPendingLines
        self.maximumPendingBytes = maximumPendingBytes
    }

    func add(_ received: [[UInt8]]) {
        var dropped = 0, startedDropping = false
        let flushNow: Bool = lock.withLock {
            for line in received where !line.isEmpty {
                guard lines.count + inFlightLines < maximumPendingLines, pendingBytes + inFlightBytes + line.count <= maximumPendingBytes else {
                    dropped += 1
                    continue
                }
                lines.append(line)
                pendingBytes += line.count
            }
            if dropped > 0, !dropping { dropping = true; startedDropping = true }
            // One flush asked for at a time, however many messages arrive meanwhile.
            guard lines.count >= maximumLines, !flushRequested else { return false }
            flushRequested = true
            return true
        }
        if dropped > 0 { metrics.syslogDropped(lines: dropped, reason: "queue full") }
        if startedDropping {
            logger.warning("syslog lines are being dropped: storing has fallen behind and the queue is full",
                           metadata: ["held_lines": .stringConvertible(maximumPendingLines), "held_bytes": .stringConvertible(maximumPendingBytes)])
        }
        if flushNow { Task { await self.flush() } }
    }

    /// A connection ended for a frame larger than the listener takes.
    func refused(_ error: any Error, from address: SocketAddress?) {
        metrics.syslogDropped(lines: 1, reason: "oversized frame")
        logger.notice("syslog connection closed: it sent \(error)", metadata: ["peer": .string(address.map { "\($0)" } ?? "unknown")])
    }

    func startFlushing() {
        flusher = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: self?.flushInterval ?? .milliseconds(200))
                await self?.flush()
            }
        }
    }

    /// Stores everything still collected, waiting for a flush under way to end first (at shutdown).
    func drain() async {
        flusher?.cancel()
        while lock.withLock({ flushing }) { try? await Task.sleep(for: .milliseconds(10)) }
        await flush()
    }

    /// Stores the collected lines as batches and hands them to the pipeline's syslog stream. One
    /// flush at a time, so batches are stored in the order the stream reads them; lines that could
    /// not be stored go back to the front and are tried again at the next flush.
    func flush() async {
        guard lock.withLock({ () -> Bool in
            if flushing { return false }
            flushing = true
            return true
        }) else { return }
        defer { lock.withLock { flushing = false } }
        while true {
            let taken = lock.withLock {
                defer {
                    (inFlightLines, inFlightBytes) = (lines.count, pendingBytes)
                    lines = []; pendingBytes = 0; flushRequested = false
                }
                return lines
            }
            guard !taken.isEmpty else { return }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(taken.reduce(0) { $0 + $1.count + 1 })
            for line in taken { bytes += line; bytes.append(0x0A) }
            do {
                let digest = FindingPipeline.sha256(bytes)
                let id = try await store.insertBatch(NewBatch(kind: FindingPipeline.syslogStreamKind, bytes: bytes, receivedBy: "syslog listener", sha256: digest))
                await pipeline.addStreamed(bytes, batch: id, digest: digest)
                metrics.accepted(kind: FindingPipeline.syslogStreamKind, records: taken.count, bytes: bytes.count)
                let recovered = lock.withLock { () -> Bool in
                    defer { dropping = false; (inFlightLines, inFlightBytes) = (0, 0) }
                    return dropping
                }
                if recovered { logger.notice("syslog lines are stored again; see mirrorwatch_syslog_dropped_lines_total for what was dropped") }
            } catch {
                lock.withLock {
                    lines = taken + lines
                    pendingBytes = lines.reduce(0) { $0 + $1.count }
                    (inFlightLines, inFlightBytes) = (0, 0)
                }
                logger.error("could not store received syslog; keeping it for the next try",
                             metadata: ["lines": .stringConvertible(taken.count), "error": .string("\(error)")])
                return
            }
        }
    }
}
