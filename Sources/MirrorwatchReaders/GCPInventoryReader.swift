import MirrorwatchJSON
import MirrorwatchModel

/// Reads `gcloud compute packet-mirrorings list|describe`, `gcloud compute forwarding-rules list`,
/// `gcloud compute backend-services list` and `gcloud compute instances list` output
/// (`--format=json`): a JSON array of resources, or one resource. Packet-mirroring policies become
/// live sessions; forwarding rules and instances become facts that resolve collectors to addresses
/// and instances to subnets and tags; a collector's backend service and the backend service's
/// instance groups tell who receives the mirrored packets.
public enum GCPInventoryReader {
    static let format = InputFormat(kind: .gcpInventory, recognizes: { head in
        head.contains("\"compute#packetMirroring\"") || head.contains("\"compute#forwardingRule\"") || head.contains("\"compute#instance\"")
            || head.contains("\"compute#backendService\"")
            || head.hasKey("collectorIlb") || head.hasKey("mirroredResources") || head.hasKey("isMirroringCollector")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "gcp-inventory"))
        guard let document = SnapshotDocument.parse(input, into: &result) else { return result }
        var listed = Set<Scope>()
        for (index, item) in document.elements.enumerated() {
            result.report.records += 1
            let evidence = Evidence(input: input.name, record: index)
            guard let selfLink = item.member(anyOf: "selfLink", "selfLinkWithId")?.text.map(ResourceRef.normalize) else {
                result.report.problem("record \(index)", "resource without selfLink"); continue
            }
            let project = ResourceRef.owner(of: selfLink)
            let kind = item.member(ignoringCase: "kind")?.text ?? ""
            if kind == "compute#packetMirroring" || item.member(ignoringCase: "collectorIlb") != nil {
                let spec = GCPMirroringSpec.packetMirroring(item, isInsert: true)
                result.sessions.append(ObservedSession(platform: .gcp, scope: Scope(account: project, region: GCPChangeMapper.region(selfLink)),
                                                       id: selfLink, spec: spec, evidence: evidence))
                listed.insert(Scope(account: project, region: GCPChangeMapper.region(selfLink)))
            } else if kind == "compute#backendService" || item.member(ignoringCase: "backends") != nil && kind != "compute#forwardingRule" {
                let groups = (item.member(ignoringCase: "backends")?.elements ?? []).compactMap { $0.member(ignoringCase: "group")?.text.map(ResourceRef.normalize) }
                result.targetGroups += groups.map {
                    ObservedTargetGroup(platform: .gcp, scope: Scope(account: project, region: GCPChangeMapper.region(selfLink)), id: $0, loadBalancers: [],
                                        listener: selfLink, evidence: evidence)
                }
            } else if kind == "compute#forwardingRule" || item.member(ignoringCase: "loadBalancingScheme") != nil {
                result.assets.append(AssetFact(id: selfLink, privateIP: item.member(ignoringCase: "IPAddress")?.text, owner: project,
                                               description: item.member(ignoringCase: "isMirroringCollector")?.bool == true ? "mirroring collector" : item.member(ignoringCase: "description")?.text,
                                               evidence: evidence))
                if item.member(ignoringCase: "isMirroringCollector")?.bool == true, let service = item.member(ignoringCase: "backendService")?.text {
                    // Only the link: the backend service's groups come from its own list.
                    result.targetGroups.append(ObservedTargetGroup(platform: .gcp, scope: Scope(account: project, region: GCPChangeMapper.region(selfLink)), id: "",
                                                                   loadBalancers: [selfLink], listener: ResourceRef.normalize(service), evidence: evidence))
                }
            } else if kind == "compute#instance" || item.member(ignoringCase: "machineType") != nil {
                let nic = item.member(ignoringCase: "networkInterfaces")?.elements.first
                var tags: [String: String] = [:]
                for tag in item.at("tags", "items")?.elements ?? [] { if let t = tag.text { tags[t] = "" } }
                for (key, value) in item.member(ignoringCase: "labels")?.members ?? [:] { tags[key] = value.text ?? "" }
                result.assets.append(AssetFact(
                    id: selfLink, subnetId: nic?.member(ignoringCase: "subnetwork")?.text.map(ResourceRef.normalize),
                    vpcId: nic?.member(ignoringCase: "network")?.text.map(ResourceRef.normalize),
                    privateIP: nic?.member(ignoringCase: "networkIP")?.text,
                    publicIP: nic?.member(ignoringCase: "accessConfigs")?.elements.first?.member(ignoringCase: "natIP")?.text,
                    owner: project, description: item.member(ignoringCase: "name")?.text, tags: tags, evidence: evidence))
            } else {
                result.report.problem("record \(index)", "not a packet mirroring, forwarding rule, backend service or instance (kind '\(kind)')"); continue
            }
            result.report.relevant += 1
        }
        // A list of packet mirrorings holds every policy of the regions it shows (an empty or
        // name-filtered list proves nothing and is not counted).
        if document.isList { result.sessionLists += listed.sorted().map { SessionList(platform: .gcp, scope: $0) } }
        return result
    }
}

/// A snapshot file parsed whole (they are small), with its problems reported.
struct SnapshotDocument {
    var root: JSONValue
    /// Whether the document is a list (a `list` command), not one resource (`describe`/`show`).
    var isList: Bool { if case .array = root { return true } else { return false } }
    var elements: [JSONValue] { if case .array(let items) = root { return items } else { return [root] } }

    static func parse(_ input: LoadedInput, into result: inout ReadResult) -> SnapshotDocument? {
        result.report.bytes = input.bytes.count
        do throws(JSONParseError) {
            return SnapshotDocument(root: try JSONParser.parse(input.bytes))
        } catch {
            var lines = LineCounter()
            let line = input.bytes.withUnsafeBytes { lines.line(at: error.offset, in: $0) }
            result.report.problem("line \(line), byte \(error.offset)", "malformed JSON: \(error.reason)")
            return nil
        }
    }
}
