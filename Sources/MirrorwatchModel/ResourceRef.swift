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

    /// The resource an Azure sub-resource belongs to, in lower case: a NIC for its IP configuration, a
    /// load balancer for its frontend or backend pool; nil for other ids.
    public static func azureParent(_ id: String) -> String? {
        let lowered = id.lowercased()
        for part in ["/ipconfigurations/", "/frontendipconfigurations/", "/backendaddresspools/"] {
            if let range = lowered.range(of: part) { return String(lowered[..<range.lowerBound]) }
        }
        return nil
    }

    /// The account an AWS ARN names (`arn:aws:iam::111122223333:role/R` → `111122223333`); nil when it names none.
    public static func account(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && !parts[4].isEmpty ? String(parts[4]) : nil
    }

    /// A name short enough for a title: the last path component of a GCP or Azure path, with
    /// its parent for sub-resources (`nic-web-1/ipconfig1`, `nic-web-1/tapcfg-ndr`); other ids unchanged.
    public static func shortName(of reference: String) -> String {
        let lower = reference.lowercased()
        guard lower.hasPrefix("projects/") || lower.hasPrefix("/subscriptions/") else { return reference }
        let parts = reference.split(separator: "/")
        guard let last = parts.last else { return reference }
        let subCollections: Set<String> = ["ipconfigurations", "frontendipconfigurations", "tapconfigurations", "packetmirroringrules"]
        if parts.count >= 4, subCollections.contains(parts[parts.count - 2].lowercased()) {
            return "\(parts[parts.count - 3])/\(last)"
        }
        return String(last)
    }

    /// The last path component (a resource's short name).
    public static func name(of reference: String) -> String {
        reference.split(separator: "/").last.map(String.init) ?? reference
    }
}
