import Mirrorwatch

/// A picture of the live mirroring graph, as inline SVG: sources on the left, sessions in the
/// middle, destinations on the right. Edges to approved destinations are green, to unapproved ones
/// red (dashed when the destination is outside the organization); sensitive sources are orange.
enum MirroringGraphSVG {
    static let rowHeight = 30
    static let maxSessions = 80

    static func render(_ sessions: [AuditReport.LiveSession]) -> String {
        guard !sessions.isEmpty else { return "<p class=\"muted\">No live mirroring session is known from the inputs.</p>" }
        let shown = Array(sessions.prefix(maxSessions))
        // Nodes are keyed by full id (two collectors named `collector` in two projects are two nodes).
        var sources: [(id: String, label: String, segment: String?)] = [], destinations: [(id: String, label: String)] = []
        var destinationApproved: [String: Bool] = [:]
        for session in shown {
            for source in session.sources where !sources.contains(where: { $0.id == source.id }) { sources.append(source) }
            if !destinations.contains(where: { $0.id == session.destinationId }) { destinations.append((session.destinationId, session.destinationName)) }
            destinationApproved[session.destinationId] = (destinationApproved[session.destinationId] ?? true) && session.fullyApproved
        }
        let rows = max(sources.count, shown.count, destinations.count)
        let height = rows * rowHeight + 50
        let columns = (source: 10, session: 390, destination: 770), boxWidth = 300
        func y(_ index: Int) -> Int { 40 + index * rowHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"mirroring-graph\" viewBox=\"0 0 1080 \(height)\" width=\"100%\" role=\"img\" aria-label=\"Mirroring graph\">"
        svg += "<text x=\"\(columns.source)\" y=\"20\" class=\"gh\">Sources</text><text x=\"\(columns.session)\" y=\"20\" class=\"gh\">Sessions</text><text x=\"\(columns.destination)\" y=\"20\" class=\"gh\">Destinations</text>"
        for (index, session) in shown.enumerated() {
            let approved = session.fullyApproved
            let color = approved ? "#2e7d32" : "#c62828"
            let dash = session.external && !approved ? " stroke-dasharray=\"6 4\"" : ""
            let sessionY = y(index) + 11
            for source in session.sources {
                guard let s = sources.firstIndex(where: { $0.id == source.id }) else { continue }
                svg += edge(from: (columns.source + boxWidth, y(s) + 11), to: (columns.session, sessionY), color: color, dash: dash)
            }
            if let d = destinations.firstIndex(where: { $0.id == session.destinationId }) {
                svg += edge(from: (columns.session + boxWidth, sessionY), to: (columns.destination, y(d) + 11), color: color, dash: dash)
            }
        }
        for (index, source) in sources.enumerated() {
            let segment = source.segment
            svg += node(x: columns.source, y: y(index), text: source.label + (segment.map { " [\($0)]" } ?? ""), title: source.id, fill: segment == nil ? "#eef2f7" : "#ffe0b2",
                        stroke: segment == nil ? "#90a4ae" : "#e65100", cls: "source")
        }
        for (index, session) in shown.enumerated() {
            let label = "\(session.platform.rawValue): \(ResourceRef.shortName(of: session.id))" + (session.inBaseline == false ? " (not in baseline)" : "")
            svg += node(x: columns.session, y: y(index), text: label, title: session.id, fill: "#f5f5f5", stroke: "#607d8b", cls: "session")
        }
        for (index, destination) in destinations.enumerated() {
            let approved = destinationApproved[destination.id] ?? false
            svg += node(x: columns.destination, y: y(index), text: destination.label, title: destination.id, fill: approved ? "#e8f5e9" : "#ffebee",
                        stroke: approved ? "#2e7d32" : "#c62828", cls: approved ? "destination approved" : "destination unapproved")
        }
        svg += "</svg>"
        if sessions.count > shown.count { svg += "<p class=\"muted\">\(sessions.count - shown.count) more sessions are listed in the table below.</p>" }
        return svg
    }

    static func node(x: Int, y: Int, text: String, title: String, fill: String, stroke: String, cls: String) -> String {
        let shown = text.count > 44 ? String(text.prefix(43)) + "…" : text
        return "<g class=\"\(cls)\"><title>\(HTML.escape(title == text ? text : text + " — " + title))</title><rect x=\"\(x)\" y=\"\(y)\" width=\"300\" height=\"22\" rx=\"4\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>"
            + "<text x=\"\(x + 6)\" y=\"\(y + 15)\">\(HTML.escape(shown))</text></g>"
    }

    static func edge(from a: (Int, Int), to b: (Int, Int), color: String, dash: String) -> String {
        let mid = (a.0 + b.0) / 2
        return "<path d=\"M\(a.0),\(a.1) C\(mid),\(a.1) \(mid),\(b.1) \(b.0),\(b.1)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(dash)/>"
    }
}
