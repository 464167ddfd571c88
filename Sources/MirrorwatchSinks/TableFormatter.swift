import MirrorwatchModel

/// A findings table for terminals, fitting `width` columns: one line per finding, then the
/// explanation of each finding at medium or above, wrapped.
public struct TableFormatter: Sendable {
    public var width: Int
    public init(width: Int = 100) { self.width = max(60, width) }

    static func label(_ s: Severity) -> String {
        switch s {
        case .info: "INFO"
        case .low: "LOW"
        case .medium: "MED"
        case .high: "HIGH"
        case .critical: "CRIT"
        }
    }

    static func fit(_ text: String, _ n: Int) -> String {
        if text.count <= n { return text + String(repeating: " ", count: n - text.count) }
        return String(text.prefix(max(0, n - 1))) + "…"
    }

    /// The rule, with `+N` when a correlated finding stands for N more rules on the same change.
    static func ruleLabel(_ f: Finding, _ width: Int) -> String {
        let more = f.context.rules.filter { $0 != f.rule }.count
        guard more > 0 else { return f.rule }
        let suffix = " +\(more)"
        return (f.rule.count + suffix.count <= width ? f.rule : String(f.rule.prefix(width - suffix.count - 1)) + "…") + suffix
    }

    public func render(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "No findings.\n" }
        let ruleWidth = 32, timeWidth = 16, sevWidth = 4
        let restWidth = width - sevWidth - ruleWidth - timeWidth - 6
        var out = "\(Self.fit("SEV", sevWidth))  \(Self.fit("RULE", ruleWidth))  \(Self.fit("TIME (UTC)", timeWidth))  TITLE\n"
        out += String(repeating: "─", count: width) + "\n"
        for f in findings {
            out += "\(Self.fit(Self.label(f.severity), sevWidth))  \(Self.fit(Self.ruleLabel(f, ruleWidth), ruleWidth))  \(Self.fit(Timestamp.short(f.time), timeWidth))  \(Self.fit(f.title, restWidth))\n"
        }
        let explained = findings.filter { $0.severity >= .medium }
        if !explained.isEmpty {
            out += "\nDetails (medium and above):\n"
            for f in explained.sorted(by: { ($0.severity, $1.time) > ($1.severity, $0.time) }) {
                out += "\n[\(Self.label(f.severity))] \(f.rule) \(f.id)\n"
                out += wrap(f.title, indent: "  ")
                out += wrap("Why: " + f.why, indent: "  ")
                out += wrap("Benign if: " + f.benignIf, indent: "  ")
                out += wrap("Evidence: " + f.evidence.map(\.description).joined(separator: "; "), indent: "  ")
                if let ticket = f.ticket { out += "  Ticket: \(ticket)\n" }
                if f.context.rules.count > 1 { out += wrap("Rules: " + f.context.rules.joined(separator: ", "), indent: "  ") }
                if !f.context.flags.isEmpty { out += wrap("Flags: " + f.context.flags.joined(separator: ", "), indent: "  ") }
            }
        }
        var counts: [String] = []
        for s in Severity.allCases.reversed() {
            let n = findings.filter { $0.severity == s }.count
            if n > 0 { counts.append("\(n) \(s.name)") }
        }
        out += "\n\(findings.count) findings: \(counts.joined(separator: ", "))\n"
        return out
    }

    func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        let room = max(8, width - indent.count - 2)
        let words = text.split(separator: " ", omittingEmptySubsequences: true).flatMap { word in
            // Identifiers longer than a line (ARNs) are cut into line-sized pieces.
            stride(from: 0, to: word.count, by: room).map { start in
                String(word.dropFirst(start).prefix(room))
            }
        }
        for word in words {
            if line.count + word.count + 1 > width, line.count > indent.count {
                lines.append(line)
                line = indent + "  "
            }
            line += (line.hasSuffix(" ") || line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }
}
