/// On a device whose commands a TACACS+ server accounts, a command logged by the device for a user
/// the TACACS+ records never show came from a local account: a fallback or backdoor login that
/// bypasses central authorization. Such actors are marked `local-account`, and the unauthorized-actor
/// rule treats them as unauthorized whatever their name.
enum LocalAccounts {
    /// `activity` holds every command record, mirroring or not (a TACACS+ record of `show running-config`
    /// proves the user is a TACACS+ user on that device as much as a mirroring command does).
    static func mark(_ changes: [MirrorChange], activity: [DeviceActivity]) -> [MirrorChange] {
        var tacacsUsers: [String: Set<String>] = [:]
        for event in activity where event.kind == .commandLogged && event.actor?.type == "tacacs-user" {
            guard let user = event.actor?.name.lowercased() else { continue }
            tacacsUsers[event.device.lowercased(), default: []].insert(user)
        }
        guard !tacacsUsers.isEmpty else { return changes }
        return changes.map { change in
            guard change.actor?.type == "device-user", let device = change.scope.device?.lowercased(), let users = tacacsUsers[device],
                  let user = change.actor?.name.lowercased(), !users.contains(user) else { return change }
            var marked = change
            marked.actor?.type = "local-account"
            return marked
        }
    }
}
