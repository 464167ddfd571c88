/// Where a mirroring configuration lives. Raw values are the `platform` strings of the finding contract.
public enum Platform: String, Sendable, Codable, CaseIterable, Comparable {
    case aws
    case gcp
    case azure
    case ciscoIOS = "cisco-ios"
    case ciscoNXOS = "cisco-nxos"
    case junos
    case aristaEOS = "arista-eos"

    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Platform {
    /// What owns a resource on this platform, in words: an AWS account, a GCP project, an Azure subscription.
    public var ownerNoun: String {
        switch self {
        case .aws: "account"
        case .gcp: "project"
        case .azure: "subscription"
        default: "device"
        }
    }
}
