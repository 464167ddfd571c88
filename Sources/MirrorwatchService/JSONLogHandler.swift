import Foundation
import Logging
import MirrorwatchJSON

/// Logs as JSON lines on standard error, one object per event, for log shippers:
/// `{"time":"…","level":"warning","label":"mirrorwatch","source":"MirrorwatchService","message":"…","metadata":{…}}`.
/// Nested metadata keeps its structure. Nothing here adds to what the service chose to log
/// (tokens and secrets are never in a message or in metadata).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private static let lock = NSLock()

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = Self.line(time: Date(), level: event.level, label: label, source: event.source, message: event.message.description, metadata: merged)
        Self.lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// One event as a JSON line (with its newline).
    static func line(time: Date, level: Logger.Level, label: String, source: String, message: String, metadata: Logger.Metadata) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("time", Self.timestamp(time))
        w.string("level", level.rawValue)
        w.string("label", label)
        w.string("source", source)
        w.string("message", message)
        if !metadata.isEmpty {
            w.beginObject("metadata")
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { write(value, key, into: &w) }
            w.endObject()
        }
        w.endObject()
        return w.output + "\n"
    }

    /// `2026-11-29T18:40:01.123Z`: UTC, said so.
    static func timestamp(_ time: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: time)
    }

    private static func write(_ value: Logger.Metadata.Value, _ key: String?, into w: inout JSONWriter) {
        switch value {
        case .string(let text): w.string(key, text)
        case .stringConvertible(let item): w.string(key, item.description)
        case .array(let items):
            w.beginArray(key)
            for item in items { write(item, nil, into: &w) }
            w.endArray()
        case .dictionary(let members):
            w.beginObject(key)
            for (name, item) in members.sorted(by: { $0.key < $1.key }) { write(item, name, into: &w) }
            w.endObject()
        }
    }
}

/// How `mirrorwatch serve` logs: `text` (swift-log's default lines) or `json` (one object per line).
public enum ServiceLogFormat: String, Sendable, CaseIterable {
    case text, json

    /// Sets up logging for the whole process (once, before anything logs).
    public func bootstrap(level: Logger.Level = .info) {
        switch self {
        case .text: LoggingSystem.bootstrap { label in var h = StreamLogHandler.standardError(label: label); h.logLevel = level; return h }
        case .json: LoggingSystem.bootstrap { label in var h = JSONLogHandler(label: label); h.logLevel = level; return h }
        }
    }
}
