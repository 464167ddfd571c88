/// A place mirrored traffic comes from or goes to.
public struct Endpoint: Sendable, Hashable {
    /// What kind of thing this is.
    public enum Kind: String, Sendable, Hashable {
        case eni, instance, subnet, networkTag = "network-tag", nic, nicIPConfig = "nic-ipconfig"
        case lbFrontend = "lb-frontend", nlb, gwlbe, ilb, interface, vlan, remoteVLAN = "remote-vlan", ip
        /// A mirror target known only by its id (not resolved further).
        case target
    }

    public var kind: Kind
    public var id: String
    /// IP address when known.
    public var address: String?
    /// Owning account, project or subscription, when known.
    public var owner: String?

    public init(kind: Kind, id: String, address: String? = nil, owner: String? = nil) {
        self.kind = kind
        self.id = id
        self.address = address
        self.owner = owner
    }
}
