import MirrorwatchJSON

/// CloudTrail event selectors, basic and advanced, as `get-event-selectors` prints them and as
/// `PutEventSelectors` records them: do they record the management write events of EC2, where
/// every Traffic Mirroring call is?
enum CloudTrailSelectors {
    /// nil when no selector is given; otherwise whether some selector records EC2 management writes.
    static func recordMirroringWrites(basic: [JSONValue], advanced: [JSONValue]) -> Bool? {
        if basic.isEmpty && advanced.isEmpty { return nil }
        let fromBasic = basic.contains {
            $0.member(ignoringCase: "IncludeManagementEvents")?.bool != false && $0.member(ignoringCase: "ReadWriteType")?.text != "ReadOnly"
        }
        return fromBasic || advanced.contains(where: recordsMirroringWrites)
    }

    /// An advanced selector: management events, not read-only, and EC2 not excluded.
    private static func recordsMirroringWrites(_ selector: JSONValue) -> Bool {
        let fields = selector.member(ignoringCase: "FieldSelectors")?.elements ?? []
        func values(_ field: String, _ op: String) -> [String]? {
            fields.first { $0.member(ignoringCase: "Field")?.text == field }?.member(ignoringCase: op)?.elements.compactMap(\.text)
        }
        guard values("eventCategory", "Equals")?.contains("Management") == true else { return false }
        if values("readOnly", "Equals") == ["true"] { return false }
        if let only = values("eventSource", "Equals"), !only.contains("ec2.amazonaws.com") { return false }
        if values("eventSource", "NotEquals")?.contains("ec2.amazonaws.com") == true { return false }
        return true
    }
}
