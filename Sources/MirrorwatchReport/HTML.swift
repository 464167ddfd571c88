import Mirrorwatch

/// Building blocks for self-contained HTML: escaping and small elements.
public enum HTML {
    /// Text safe inside elements and double-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A table with a header row; cells are HTML already escaped by the caller.
    static func table(_ headers: [String], _ rows: [[String]], id: String? = nil) -> String {
        var out = "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    static func badge(_ severity: Severity) -> String {
        "<span class=\"sev sev-\(severity.name)\">\(severity.name)</span>"
    }
}
