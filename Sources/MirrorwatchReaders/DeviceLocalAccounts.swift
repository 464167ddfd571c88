import MirrorwatchModel

/// Local accounts in a device configuration, and whether they may configure mirroring: who can
/// set up a SPAN, RSPAN or ERSPAN session, a monitor session or a Junos analyzer on this device.
///
/// - IOS / IOS-XE and EOS: `username NAME privilege 15` (or a lower level that
///   `privilege exec level N configure terminal` raises to configuration); EOS `role network-admin`.
/// - NX-OS: `username NAME ... role network-admin` (or `vdc-admin`); `network-operator` reads only.
/// - Junos: `system login user NAME class C`, with `super-user` or a class whose `permissions`
///   include `all` or `configure`.
///
/// Accounts authenticated by TACACS+ or RADIUS are not in the configuration; secrets are never kept.
enum DeviceLocalAccounts {
    static func cisco(_ lines: [Substring], device: String, platform: Platform, input: String) -> AccessFacts {
        var facts = AccessFacts()
        // Privilege levels given `configure terminal` by `privilege exec [all] level N configure [terminal]`.
        var configureLevels: Set<Int> = [15]
        for line in lines where line.hasPrefix("privilege exec ") {
            let words = line.split(separator: " ")
            if let at = words.firstIndex(of: "level"), at + 2 < words.count, let level = Int(words[at + 1]), words[at + 2] == "configure" {
                configureLevels.insert(level)
            }
        }
        var seen = Set<String>()
        for (index, line) in lines.enumerated() where line.hasPrefix("username ") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 2, seen.insert(words[1].lowercased()).inserted else { continue }
            let user = words[1]
            let privilege = words.firstIndex(of: "privilege").flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil }
            let role = words.firstIndex(of: "role").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
            let evidence = Evidence(input: input, record: index, line: index + 1)
            let (can, why): (Bool, String)
            if let role {
                can = ["network-admin", "vdc-admin"].contains(role.lowercased()) || (privilege.map { configureLevels.contains($0) } ?? false)
                why = "role \(role)" + (privilege.map { ", privilege \($0)" } ?? "")
            } else {
                // IOS and EOS default to privilege 1.
                let level = privilege ?? 1
                can = configureLevels.contains(level)
                why = "privilege \(level)" + (level != 15 && can ? " (raised to configure terminal by `privilege exec`)" : "")
            }
            add(&facts, device: device, platform: platform, user: user, can: can, why: why, evidence: evidence)
        }
        return facts
    }

    static func junos(_ statements: [(words: [String], line: Int)], device: String, input: String) -> AccessFacts {
        var facts = AccessFacts()
        var classPermissions: [String: [String]] = ["super-user": ["all"]]
        var users: [(name: String, line: Int)] = []
        var userClass: [String: String] = [:]
        for (words, line) in statements {
            // system login class C permissions P | [P ...];  system login user U class C
            guard words.count >= 4, words[0] == "system", words[1] == "login" else { continue }
            if words[2] == "class", words.count >= 6, words[4] == "permissions" {
                classPermissions[words[3], default: []] += words[5...].filter { $0 != "[" && $0 != "]" }
            } else if words[2] == "user" {
                if !users.contains(where: { $0.name == words[3] }) { users.append((words[3], line)) }
                if words.count >= 6, words[4] == "class" { userClass[words[3]] = words[5] }
            }
        }
        for (user, line) in users {
            let userClass = userClass[user] ?? "unauthorized"
            let permissions = classPermissions[userClass] ?? []
            let can = permissions.contains("all") || permissions.contains("configure")
            add(&facts, device: device, platform: .junos, user: user, can: can,
                why: "class \(userClass)" + (permissions.isEmpty ? "" : " (permissions \(permissions.joined(separator: " ")))"),
                evidence: Evidence(input: input, line: line))
        }
        return facts
    }

    private static func add(_ facts: inout AccessFacts, device: String, platform: Platform, user: String, can: Bool, why: String, evidence: Evidence) {
        let principal = AccessPrincipal(platform: platform, id: "\(device):\(user)", name: user, type: "local-user", device: device,
                                        aliases: [user, "\(device):\(user)"], evidence: evidence)
        facts.principals.append(principal)
        guard can else { return }
        let policy = "\(device):\(why)"
        if !facts.policies.contains(where: { $0.id == policy }) {
            facts.policies.append(PermissionPolicy(id: policy, name: why, statements: [PermissionStatement(effect: .allow, actions: ["*"], label: "configuration rights")],
                                                   evidence: evidence))
        }
        facts.grants.append(AccessGrant(platform: platform, holder: principal.id, policy: policy, route: "local account on \(device) with \(why)",
                                        scope: device, evidence: evidence))
    }
}
