import Foundation

/// Resource references as providers spell them, reduced to one form so they compare equal.
///
/// GCP names a resource by full URL (`https://www.googleapis.com/compute/v1/projects/p/...`),
/// by `//compute.googleapis.com/projects/p/...` or by relative path (`projects/p/...`): all
/// become the relative path. Azure resource ids are case-insensitive: they become lower case.
/// Anything else is left as it is.
public enum ResourceRef {
    public static func normalize(_ reference: String) -> String {
        var text = Substring(reference.trimmingCharacters(in: .whitespaces))
        for prefix in ["https://www.googleapis.com/compute/", "https://compute.googleapis.com/compute/", "http://www.googleapis.com/compute/"]
        where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            // Drop the API version (v1, beta, alpha).
            if let slash = text.firstIndex(of: "/") { text = text[text.index(after: slash)...] }
            return String(text)
        }
        if text.hasPrefix("//compute.googleapis.com/") { return String(text.dropFirst("//compute.googleapis.com/".count)) }
        if text.first == "/", text.lowercased().hasPrefix("/subscriptions/") { return text.lowercased() }
        return String(text)
    }

    /// The project of a GCP path (`projects/P/...`), or the subscription of an Azure id (`/subscriptions/S/...`).
    public static func owner(of reference: String) -> String? {
        let parts = normalize(reference).split(separator: "/")
        guard parts.count >= 2 else { return nil }
        if parts[0] == "projects" || parts[0] == "subscriptions" { return String(parts[1]) }
        return nil
    }

    /// The last path component (a resource's short name).
    public static func name(of reference: String) -> String {
        reference.split(separator: "/").last.map(String.init) ?? reference
    }
}
