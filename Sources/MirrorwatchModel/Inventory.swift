import Foundation

/// A mirror session (or policy, TAP attachment, SPAN session) seen in a state snapshot.
public struct ObservedSession: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    public var spec: MirrorSpec
    public var evidence: Evidence
    /// What kind of mirroring it is (a SPAN session, a port-mirroring instance, an analyzer...), when the reader knows.
    public var kind: MirrorResourceKind?
    /// When the snapshot was taken, when its name says so (`rancid/2026-11-02/core-sw1.cfg`); file times are not trusted.
    public var takenAt: Date?

    public init(platform: Platform, scope: Scope, id: String, spec: MirrorSpec, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.id = id
        self.spec = spec
        self.evidence = evidence
    }
}

/// A mirror target (where sessions send) seen in a snapshot.
public struct ObservedTarget: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    /// What the target really is: an ENI, NLB, Gateway Load Balancer endpoint...
    public var destination: Endpoint
    public var description: String?
    public var evidence: Evidence

    public init(platform: Platform, scope: Scope, id: String, destination: Endpoint, description: String?, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.id = id
        self.destination = destination
        self.description = description
        self.evidence = evidence
    }
}

/// A traffic filter seen in a snapshot.
public struct ObservedFilter: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    public var rules: [FilterRule]
    public var services: [String]
    public var evidence: Evidence

    public init(platform: Platform, scope: Scope, id: String, rules: [FilterRule], services: [String], evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.id = id
        self.rules = rules
        self.services = services
        self.evidence = evidence
    }
}

/// Facts about a network interface or instance: where it sits, its address, its owner.
public struct AssetFact: Sendable {
    public var id: String
    public var instanceId: String?
    public var subnetId: String?
    public var vpcId: String?
    public var privateIP: String?
    public var publicIP: String?
    public var owner: String?
    public var description: String?
    public var tags: [String: String]
    public var evidence: Evidence
    /// For a VPC endpoint: the endpoint service it hands traffic to (`com.amazonaws.vpce.<region>.vpce-svc-…`).
    public var serviceName: String?
    /// For an endpoint service: the load balancers behind it (the Gateway Load Balancers whose
    /// target groups hold the appliances that receive what its endpoints are sent).
    public var loadBalancers: [String] = []
    /// Read from a creation record (`RunInstances`), not from an inventory listing: it only fills in
    /// what the listings do not say.
    public var provisional = false

    /// This fact with what it leaves unsaid taken from `other` (a fact about the same thing).
    public func filled(from other: AssetFact) -> AssetFact {
        var filled = self
        filled.instanceId = instanceId ?? other.instanceId
        filled.subnetId = subnetId ?? other.subnetId
        filled.vpcId = vpcId ?? other.vpcId
        filled.privateIP = privateIP ?? other.privateIP
        filled.publicIP = publicIP ?? other.publicIP
        filled.owner = owner ?? other.owner
        filled.description = description ?? other.description
        if filled.tags.isEmpty { filled.tags = other.tags }
        filled.serviceName = serviceName ?? other.serviceName
        if filled.loadBalancers.isEmpty { filled.loadBalancers = other.loadBalancers }
        filled.provisional = provisional && other.provisional
        return filled
    }

    public init(id: String, instanceId: String? = nil, subnetId: String? = nil, vpcId: String? = nil, privateIP: String? = nil,
                publicIP: String? = nil, owner: String? = nil, description: String? = nil, tags: [String: String] = [:],
                serviceName: String? = nil, evidence: Evidence) {
        self.id = id
        self.instanceId = instanceId
        self.subnetId = subnetId
        self.vpcId = vpcId
        self.privateIP = privateIP
        self.publicIP = publicIP
        self.owner = owner
        self.description = description
        self.tags = tags
        self.serviceName = serviceName
        self.evidence = evidence
    }
}

/// A complete list of one platform's mirror sessions for a scope, as a snapshot showed it
/// (possibly empty): an approved session absent from it is gone.
public struct SessionList: Sendable, Hashable, Comparable {
    public var platform: Platform
    public var scope: Scope

    public init(platform: Platform, scope: Scope) {
        self.platform = platform
        self.scope = scope
    }

    public static func < (lhs: SessionList, rhs: SessionList) -> Bool { (lhs.platform, lhs.scope) < (rhs.platform, rhs.scope) }
}
