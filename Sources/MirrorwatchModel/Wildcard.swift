/// Wildcard matching as IAM systems use it: `*` matches any run of characters, and in AWS
/// patterns `?` matches one. Comparison ignores case unless asked not to (ARNs, condition values).
public enum Wildcard {
    /// Whether `text` matches `pattern`, ignoring case unless `caseSensitive`. `?` is a wildcard only with `questionMark`.
    public static func matches(_ pattern: String, _ text: String, questionMark: Bool = false, caseSensitive: Bool = false) -> Bool {
        caseSensitive ? glob(Array(pattern)[...], Array(text)[...], questionMark: questionMark)
            : glob(Array(pattern.lowercased())[...], Array(text.lowercased())[...], questionMark: questionMark)
    }

    /// Matching on characters already lowered; linear in practice (one backtrack point per `*`).
    public static func glob(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>, questionMark: Bool = false) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        var star = -1, mark = 0
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "*" { star = p; mark = t; p += 1; continue }
            if p < pattern.endIndex, pattern[p] == text[t] || (questionMark && pattern[p] == "?") { p += 1; t += 1; continue }
            if star >= 0 { p = star + 1; mark += 1; t = mark; continue }
            return false
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
