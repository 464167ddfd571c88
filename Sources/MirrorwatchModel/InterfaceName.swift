import Foundation

/// Network interface names in one spelling, so `Gi1/0/1`, `gi1/0/1` and `GigabitEthernet1/0/1`
/// compare equal (Cisco and Arista abbreviations; Junos names are already canonical).
public enum InterfaceName {
    private static let prefixes: [(short: [String], full: String)] = [
        (["hundredgigabitethernet", "hundredgige", "hu"], "HundredGigabitEthernet"),
        (["fortygigabitethernet", "fortygige", "fo"], "FortyGigabitEthernet"),
        (["twentyfivegige", "twe"], "TwentyFiveGigE"),
        (["tengigabitethernet", "tengige", "te"], "TenGigabitEthernet"),
        (["gigabitethernet", "gige", "gi", "g"], "GigabitEthernet"),
        (["fastethernet", "fa", "f"], "FastEthernet"),
        (["ethernet", "eth", "et", "e"], "Ethernet"),
        (["port-channel", "portchannel", "po"], "Port-channel"),
        (["vlan", "vl"], "Vlan"),
        (["tunnel", "tu"], "Tunnel"),
        (["loopback", "lo"], "Loopback"),
        (["management", "mgmt", "ma"], "Management"),
    ]

    /// The canonical spelling of `name` (Junos and unknown names are returned as given).
    public static func canonical(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let digit = trimmed.firstIndex(where: { $0.isNumber }), digit != trimmed.startIndex else { return trimmed }
        let letters = trimmed[..<digit].lowercased().trimmingCharacters(in: .whitespaces)
        // Junos names (ge-0/0/0, xe-, et-) keep their form.
        if letters.hasSuffix("-") { return trimmed }
        for entry in prefixes where entry.short.contains(letters) {
            return entry.full + trimmed[digit...]
        }
        return trimmed
    }

    /// Whether a policy's interface `listed` covers `interface`: the same interface in any
    /// abbreviation, or one of its logical units (`ge-0/0/3` covers `ge-0/0/3.0`; `Gi1/0/1` covers
    /// the subinterface `GigabitEthernet1/0/1.20`).
    public static func covers(_ listed: String, _ interface: String) -> Bool {
        let wanted = canonical(listed), actual = canonical(interface)
        if wanted.caseInsensitiveCompare(actual) == .orderedSame { return true }
        guard !wanted.contains("."), let dot = actual.lastIndex(of: "."), actual[actual.index(after: dot)...].allSatisfy(\.isNumber) else { return false }
        return wanted.caseInsensitiveCompare(String(actual[..<dot])) == .orderedSame
    }

    /// The id of an interface on a device, as endpoints carry it: `device:Interface`.
    public static func endpointId(device: String, _ interface: String) -> String { "\(device):\(canonical(interface))" }
}
