import MirrorwatchModel

/// Output formats for findings that are lines or a table. Raw values are the `--format` names
/// (`html`, a page, is made by `MirrorwatchReport`).
public enum FindingFormat: String, Sendable, CaseIterable {
    case table, jsonl, ocsf, cef

    /// Renders findings in this format.
    public func render(_ findings: [Finding], width: Int = 100) -> String {
        switch self {
        case .table: return TableFormatter(width: width).render(findings)
        case .jsonl: return findings.map { FindingJSON.line($0) + "\n" }.joined()
        case .ocsf: return findings.map { OCSFFormatter.line($0) + "\n" }.joined()
        // ArcSight CEF, one event per line (what `cef-tcp` sinks send after their syslog header).
        case .cef: return findings.map { AlertFormats.cef($0, version: ProductVersion.current) + "\n" }.joined()
        }
    }
}
