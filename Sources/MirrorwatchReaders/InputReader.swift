import Foundation
import MirrorwatchModel

/// Options that readers need from the policy.
public struct ReaderOptions: Sendable {
    /// Zone for times written without one (ticket exports). UTC unless the policy says otherwise.
    public var defaultTimeZone: TimeZone
    /// UDP ports that carry mirror copies (VXLAN, GENEVE); flows to them are always kept.
    public var mirrorPorts: Set<Int> = [4789, 6081]
    /// Whether an address is inside the organization (nil: unknown). Flow readers keep only
    /// mirror-encapsulated flows and flows leaving the organization, so memory stays small.
    public var isInternalAddress: @Sendable (String) -> Bool? = { _ in nil }
    /// Counts the bytes readers are done with, for progress inside large inputs (nil: not counted).
    public var meter: ReadMeter?

    public init(defaultTimeZone: TimeZone = TimeZone(identifier: "UTC")!) { self.defaultTimeZone = defaultTimeZone }
}

/// Reads one input with the reader for its format.
public enum InputReader {
    /// Opens, sniffs (unless `kind` is forced) and reads the file at `path` (`-`: standard input).
    /// Formats whose records stand alone are read in bounded windows, gzip inflated as it is
    /// read; the others are loaded whole. `window` is the window to start with (it grows only
    /// for a record larger than it). Never throws: every problem is in the report.
    public static func read(path: String, as kind: InputKind? = nil, options: ReaderOptions = ReaderOptions(),
                            window: Int = StreamedInput.defaultWindow) -> ReadResult {
        let input = StreamedInput(path, window: window)
        let detected = kind ?? FormatSniffer.sniff(name: input.logicalName, bytes: input.head)
        guard let detected, let stream = InputFormat.named(detected).stream, !input.isUTF16 else {
            let loaded = input.loadAll()
            defer { options.meter?.add(loaded.bytes.count) }
            return read(loaded, as: kind, options: options)
        }
        var result = stream(options.meter.map { MeteredWindows(base: input, meter: $0) } ?? input, options)
        result.report.issues.insert(contentsOf: input.issues, at: 0)
        result.report.modified = input.modified
        return result
    }

    /// Sniffs (unless `kind` is forced) and reads `input`. Never throws: every problem is in the report.
    public static func read(_ input: LoadedInput, as kind: InputKind? = nil, options: ReaderOptions = ReaderOptions()) -> ReadResult {
        let detected = kind ?? input.bytes.withUnsafeBytes { FormatSniffer.sniff(name: input.logicalName, bytes: $0) }
        var result: ReadResult
        switch detected {
        case let kind?: result = InputFormat.named(kind).read(input, options)
        case nil:
            var report = InputReport(input: input.name, format: "unknown")
            report.bytes = input.bytes.count
            if input.bytes.isEmpty {
                if input.issues.isEmpty { report.issues.append(InputIssue(input: input.name, position: "file", reason: "empty input")) }
            } else {
                report.problem("byte 0", "format not recognised (not a cloud audit log, inventory snapshot, flow log, sign-in log, IAM or logging-configuration export, device syslog or configuration, or ticket export); use --as KIND to force one (mirrorwatch scan --help lists the kinds)", skipping: 1)
            }
            result = ReadResult(report: report)
        }
        result.report.issues.insert(contentsOf: input.issues, at: 0)
        result.report.modified = input.modified
        return result
    }
}
