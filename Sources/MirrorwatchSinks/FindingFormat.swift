import MirrorwatchModel

/// Output formats for findings. Raw values are the `--format` names.
public enum FindingFormat: String, Sendable, CaseIterable {
    case table, jsonl, ocsf

    /// Renders findings in this format.
    public func render(_ findings: [Finding], width: Int = 100) -> String {
        switch self {
        case .table: return TableFormatter(width: width).render(findings)
        case .jsonl: return findings.map { FindingJSON.line($0) + "\n" }.joined()
        case .ocsf: return findings.map { OCSFFormatter.line($0) + "\n" }.joined()
        }
    }
}
