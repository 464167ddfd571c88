import Foundation
import Mirrorwatch

/// The coverage matrix as text: one line per scope, one column per telemetry kind (record counts),
/// the newest record, and the regions logged.
public enum CoverageTable {
    static let columns: [(TelemetryKind, String)] = [
        (.controlPlane, "audit"), (.deviceSyslog, "syslog"), (.deviceCommands, "cmds"), (.tacacs, "tacacs"), (.configSnapshot, "config"),
        (.inventory, "invent"), (.flows, "flows"), (.signIns, "signin"), (.iamExport, "iam"), (.loggingConfig, "logcfg"),
    ]

    public static func render(_ matrix: CoverageMatrix) -> String {
        var out = "COVERAGE" + (matrix.latest.map { " (newest record read: \(Timestamp.format($0)))" } ?? "") + "\n"
        let scopeWidth = max(24, (matrix.rows.map { label($0).count }.max() ?? 0) + 1)
        out += pad("scope", scopeWidth) + columns.map { pad($0.1, 8) }.joined() + "last record          regions\n"
        for row in matrix.rows {
            out += pad(label(row), scopeWidth)
            out += columns.map { kind, _ in pad(row.kinds[kind].map { String($0.records) } ?? "-", 8) }.joined()
            out += pad(row.last.map(Timestamp.format) ?? "never", 21)
            out += row.regions.keys.sorted().joined(separator: ",") + "\n"
        }
        for (kind, tally) in matrix.organizationWide.sorted(by: { $0.key < $1.key }) {
            out += "\(kind.rawValue) (organization-wide): \(tally.records) from \(tally.inputs.count) input(s)\n"
        }
        out += "* named in the policy; - nothing read\n"
        return out
    }

    static func label(_ row: CoverageMatrix.Row) -> String { row.label + (row.expected ? " *" : "") }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }
}
