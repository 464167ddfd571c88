/// Where a change or fact belongs: an account (AWS account, GCP project, Azure subscription)
/// and region, or a network device.
public struct Scope: Sendable, Hashable, Comparable {
    public var account: String?
    public var region: String?
    public var device: String?

    @inlinable
    public init(account: String? = nil, region: String? = nil, device: String? = nil) {
        self.account = account
        self.region = region
        self.device = device
    }

    public var display: String {
        [account, region, device].compactMap { $0 }.joined(separator: "/")
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.display < rhs.display }
}
