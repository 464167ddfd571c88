import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

@Suite struct DeviceLogReaderTests {
    static let ios = DeviceLogFixture.iosErspanAttack

    @Test func ciscoCommandsWithSubModeContext() throws {
        let result = readInput("core-sw1.log", Self.ios)
        #expect(result.report.format == "syslog")
        #expect(result.report.records == 10)
        #expect(result.report.skipped == 0)
        let changes = result.changes
        #expect(changes.map(\.action) == [.create, .modify, .modify, .delete], "context lines (destination, erspan-id, no shutdown of a running session) change nothing copied")
        #expect(changes.allSatisfy { $0.platform == .ciscoIOS && $0.scope == Scope(device: "core-sw1") && $0.resourceId == "core-sw1:monitor session 3" })
        #expect(changes[1].spec.sources.map(\.id) == ["core-sw1:GigabitEthernet1/0/1"])
        let erspan = try #require(changes.first { $0.spec.destination != nil })
        #expect(erspan.spec.destination?.id == "203.0.113.50")
        #expect(erspan.operation == "(monitor session 3) ip address 203.0.113.50")
        #expect(erspan.actor?.name == "mallory")
        #expect(erspan.actor?.sourceIP == "198.51.100.23")
        #expect(erspan.time == Timestamp.parse("2026-11-03T10:15:26Z"))
        #expect(erspan.evidence.line == 6)
    }

    @Test func otherVendors() throws {
        let eos = "Nov  3 11:02:10 edge-eos2 Aaa: %ACCOUNTING-6-CMD: alice vty5 10.1.2.3 stop task_id=11 start_time=1762167730.0 timezone=UTC service=shell priv-lvl=15 cmd=monitor session tapagg destination tunnel mode gre source 10.1.1.1 destination 198.51.100.77\n"
        let eosChange = try #require(readInput("edge.log", eos).changes.first)
        #expect(eosChange.platform == .aristaEOS)
        #expect(eosChange.spec.destination?.id == "198.51.100.77")
        #expect(eosChange.actor?.sourceIP == "10.1.2.3")

        let nxos = "Tue Nov  3 10:20:00 2026:type=update:id=10.1.2.3@pts/0:user=admin:cmd=configure terminal ; monitor session 5 type erspan-source ; destination ip 10.99.1.10 ; source interface Ethernet1/5 both ; no shut (SUCCESS)\n"
            + "Tue Nov  3 10:21:00 2026:type=update:id=10.1.2.3@pts/0:user=admin:cmd=configure terminal ; monitor session 6 ; destination interface Ethernet1/9 (FAILURE)\n"
        let nx = readInput("dc-leaf7.accounting.log", nxos, as: .deviceSyslog).changes
        #expect(nx.first?.platform == .ciscoNXOS)
        #expect(nx.first?.scope.device == "dc-leaf7")
        #expect(nx.contains { $0.spec.destination?.id == "10.99.1.10" })
        #expect(nx.contains { $0.spec.sources.map(\.id) == ["dc-leaf7:Ethernet1/5"] })
        #expect(!nx.contains { $0.resourceId == "dc-leaf7:monitor session 6" }, "failed commands changed nothing")
        #expect(nx.first?.time == Timestamp.parse("2026-11-03T10:20:00Z"))

        let junos = """
        Nov  3 12:00:01 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'edit forwarding-options analyzer exfil '
        Nov  3 12:00:10 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'set input ingress interface ge-0/0/3.0 '
        <189>1 2026-11-03T12:00:20.000Z mx-edge1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.9 username="bob" command="set output interface ge-0/0/9.0"] User 'bob', command 'set output interface ge-0/0/9.0 '
        Nov  3 12:00:25 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'up '
        Nov  3 12:00:30 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'set port-mirroring family inet output interface ge-0/0/10.0 next-hop 203.0.113.61 '
        Nov  3 12:05:00 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'top '
        Nov  3 12:05:10 mx-edge1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'delete forwarding-options analyzer exfil '
        """
        let jn = readInput("mx.log", junos).changes
        #expect(jn.map(\.resourceId) == ["mx-edge1:analyzer exfil", "mx-edge1:analyzer exfil", "mx-edge1:port-mirroring default", "mx-edge1:analyzer exfil"])
        #expect(jn[0].spec.sources.map(\.id) == ["mx-edge1:ge-0/0/3.0"])
        #expect(jn[1].spec.destination?.id == "mx-edge1:ge-0/0/9.0")
        #expect(jn[2].spec.destination?.id == "203.0.113.61")
        #expect(jn[3].action == .delete)
        #expect(jn.allSatisfy { $0.platform == .junos && $0.actor?.name == "bob" })
    }

    @Test func garbageTruncatedAndHugeLinesAreCountedNotFatal() {
        var text = "Nov  3 10:15:02 core-sw1 1042: %PARSER-5-CFGLOG_LOGGEDCMD: User:x\n"   // truncated: no command
        text += "\u{0}\u{1}garbage LOGGEDCMD \u{7f}\n"
        text += String(repeating: "A", count: 70_000) + " LOGGEDCMD\n"
        text += Self.ios
        let result = readInput("mixed.log", text, as: .deviceSyslog)
        #expect(result.changes.count == 4)
        #expect(result.report.skipped == 3)
        #expect(result.report.issues.contains { $0.position == "line 3" && $0.reason.contains("too long") })
    }

    @Test func syslogFramings() {
        let lines = [
            "<189>1 2026-11-03T10:15:31.123Z core-sw1 - - - - %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 1 destination interface Gi1/0/2",
            "2026-11-03T10:15:31+00:00 relay <189>Nov  3 10:15:31 core-sw1 12: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 1 destination interface Gi1/0/2",
            "<189>Nov  3 2026 10:15:31 core-sw1 %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 1 destination interface Gi1/0/2",
            "2026-11-03T10:15:31.000000+00:00 core-sw1 %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 1 destination interface Gi1/0/2",
        ]
        for line in lines {
            let change = readInput("f.log", line + "\n", as: .deviceSyslog).changes.first
            #expect(change?.scope.device == "core-sw1", "\(line)")
            #expect(change?.time == Timestamp.parse("2026-11-03T10:15:31Z") || change?.time == Timestamp.parse("2026-11-03T10:15:31.123Z"), "\(line)")
            #expect(change?.spec.destination?.id == "core-sw1:GigabitEthernet1/0/2", "\(line)")
        }
    }
}

@Suite struct DeviceAccountingAndAuditTests {
    @Test func junosConfigurationAuditWhenCommandLinesAreMissing() throws {
        let text = """
        Nov  3 12:00:30 mx-edge2 mgd[77]: UI_CFG_AUDIT_SET: User 'carol' set: [forwarding-options analyzer tap1 input ingress interface] <unconfigured> -> "ge-0/0/4.0"
        <189>1 2026-11-03T12:00:31.000Z mx-edge2 mgd 77 UI_CFG_AUDIT_SET [junos@2636.1.1.1.2.9 username="carol"] User 'carol' set: [forwarding-options analyzer tap1 output ip-address] <unconfigured> -> "203.0.113.70"
        Nov  3 12:00:32 mx-edge2 mgd[77]: UI_COMMIT: User 'carol' requested 'commit' operation (comment: none)
        Nov  3 12:30:00 mx-edge2 mgd[77]: UI_CFG_AUDIT_OTHER: User 'carol' delete: [forwarding-options analyzer tap1]
        """
        let result = readInput("mx2.log", text)
        #expect(result.changes.map(\.action) == [.create, .modify, .delete])
        #expect(result.changes[1].spec.destination?.id == "203.0.113.70")
        #expect(result.deviceActivity.contains { $0.kind == .configured && $0.actor?.name == "carol" })
    }

    @Test func tacacsAccountingFromTacPlusAndISE() throws {
        let tacPlus = "Nov  3 10:15:01\t10.0.0.5\tmallory\ttty1\t198.51.100.23\tstop\ttask_id=5\tservice=shell\tpriv-lvl=15\tcmd=monitor session 3 destination remote vlan 900 <cr>\n"
        let change = try #require(readInput("tac_plus.acct", tacPlus, as: .deviceSyslog).changes.first)
        #expect(change.scope.device == "10.0.0.5")
        #expect(change.actor?.name == "mallory" && change.actor?.sourceIP == "198.51.100.23")
        #expect(change.spec.destination?.id == "10.0.0.5:remote vlan 900")
        let ise = "<181>Nov  3 10:15:01 ise01 CISE_TACACS_Accounting 0000012345 1 0 2026-11-03 10:15:01.123 +00:00 0000123 3300 NOTICE TACACS: TACACS+ Accounting with Command, ConfigVersionId=12, Device IP Address=10.0.0.5, CmdSet=[ CmdAV=monitor session 3 destination interface Gi1/0/24 <cr> ], RequestLatency=1, Type=Accounting, Privilege-Level=15, Authen-Type=ASCII, Service=Login, User=mallory, Port=tty1, Remote-Address=198.51.100.23, NetworkDeviceName=core-sw1, AcctRequest-Flags=Stop,\n"
        let fromISE = try #require(readInput("ise.log", ise).changes.first)
        #expect(fromISE.scope.device == "core-sw1")
        #expect(fromISE.spec.destination?.id == "core-sw1:GigabitEthernet1/0/24")
        #expect(fromISE.time == Timestamp.parse("2026-11-03T10:15:01.123Z"))
    }

    @Test func configuredWithoutCommandLogsAndLoggingSwitchedOff() {
        let text = """
        Nov  3 09:00:00 dist-sw4 512: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.9.9.9)
        Nov  3 09:05:00 dc-leaf7 %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.2.3@pts/0
        Nov  3 09:04:00 dc-leaf7 Tue Nov  3 09:04:00 2026:type=update:id=10.1.2.3@pts/0:user=admin:cmd=configure terminal ; no logging server 10.5.5.5 (SUCCESS)
        Nov  3 09:06:00 core-sw1 77: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:no archive
        """
        let activity = readInput("all.log", text).deviceActivity
        #expect(activity.filter { $0.kind == .configured }.map(\.device) == ["dist-sw4", "dc-leaf7"])
        #expect(activity.compactMap { if case .loggingTampered(let c) = $0.kind { return c } else { return nil } } == ["no logging server 10.5.5.5", "no archive"])
    }
}

@Suite struct SyslogSniffingTests {
    @Test func aDeviceLogWhoseFirstLinesAreNoiseIsStillSyslog() {
        let noise = (0..<500).map { "Nov  3 10:00:\(String(format: "%02d", $0 % 60)) sw-\($0) 1\($0): %LINK-3-UPDOWN: Interface GigabitEthernet1/0/\($0 % 48), changed state to up" }
        let text = (noise + [DeviceLogFixture.iosErspanAttack]).joined(separator: "\n")
        let result = readInput("relay.log", text)
        #expect(result.report.format == "syslog")
        #expect(result.report.records == 510)
        #expect(result.changes.count == 4)
    }
}

/// Real-world forms found in review.
@Suite struct DeviceFormReviewTests {
    @Test func junosAuditValueForms() {
        let text = """
        Nov  3 12:00:30 mx3 mgd[7]: UI_CFG_AUDIT_SET: User 'carol' set: [forwarding-options analyzer a input ingress interface] unconfigured -- "ge-0/0/4.0"
        Nov  3 12:00:31 mx3 mgd[7]: UI_CFG_AUDIT_SET: User 'carol' set: [forwarding-options analyzer a output ip-address] unconfigured -- "10.99.1.5"
        Nov  3 12:00:32 mx3 mgd[7]: UI_CFG_AUDIT_SET: User 'carol' set: [forwarding-options analyzer a output ip-address] "10.99.1.5" -- "203.0.113.9"
        <189>1 2026-11-03T12:00:33Z mx3 mgd 7 UI_CFG_AUDIT_SET [junos@2636.1.1.1.2.9 username="carol" action="set" pathname="[forwarding-options analyzer b output interface]" value="ge-0/0/8.0"] User 'carol' set: ...
        Nov  3 12:10:00 mx3 mgd[7]: UI_CFG_AUDIT_OTHER: User 'carol' delete: [forwarding-options analyzer a]
        """
        let changes = readInput("mx3.log", text).changes
        #expect(changes.map(\.action) == [.create, .modify, .modify, .create, .delete])
        #expect(changes[1].spec.destination?.id == "10.99.1.5")
        #expect(changes[2].spec.destination?.id == "203.0.113.9", "a changed value replaces the old destination")
        #expect(changes[3].spec.destination?.id == "mx3:ge-0/0/8.0")
    }

    @Test func ciscoDestinationsAreReplacedRemovedAndAdded() {
        let text = """
        Nov  3 10:00:00 sw1 1: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 3 type erspan-source
        Nov  3 10:00:01 sw1 2: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:destination
        Nov  3 10:00:02 sw1 3: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:ip address 10.99.1.5
        Nov  3 10:05:00 sw1 4: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:monitor session 3 type erspan-source
        Nov  3 10:05:01 sw1 5: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:destination
        Nov  3 10:05:02 sw1 6: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:ip address 203.0.113.9
        Nov  3 10:06:00 sw1 7: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:monitor session 1 destination interface Gi1/0/48
        Nov  3 10:06:01 sw1 8: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:no monitor session 1 destination interface Gi1/0/48
        Nov  3 10:06:02 sw1 9: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:monitor session 1 destination interface Gi1/0/13
        Nov  3 10:06:03 sw1 10: %PARSER-5-CFGLOG_LOGGEDCMD: User:b  logged command:monitor session 1 destination interface Gi1/0/14
        """
        let changes = readInput("sw1.log", text).changes
        let erspan = changes.filter { $0.resourceId == "sw1:monitor session 3" && $0.spec.destinationsChanged }
        #expect(erspan.map { $0.spec.destination?.id } == ["10.99.1.5", "203.0.113.9"])
        #expect(erspan.last?.spec.otherDestinations.isEmpty == true)
        let span = changes.filter { $0.resourceId == "sw1:monitor session 1" }
        #expect(span.map { $0.spec.destination?.id } == ["sw1:GigabitEthernet1/0/48", nil, "sw1:GigabitEthernet1/0/13", "sw1:GigabitEthernet1/0/13"])
        #expect(span.last?.spec.otherDestinations.map(\.id) == ["sw1:GigabitEthernet1/0/14"])
    }

    @Test func junosEditLevelsAndSessions() {
        let text = """
        Nov  3 12:00:00 mx4 mgd[1]: UI_CMDLINE_READ_LINE: User 'x', command 'edit groups g1 interfaces ge-0/0/1 '
        Nov  3 12:00:01 mx4 mgd[1]: UI_CMDLINE_READ_LINE: User 'x', command 'commit synchronize and-quit '
        Nov  3 12:00:02 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'edit '
        Nov  3 12:00:03 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'set forwarding-options analyzer z output interface ge-0/0/9.0 '
        Nov  3 12:00:04 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'up -1 '
        Nov  3 12:00:05 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'up 99999999999 '
        Nov  3 12:00:06 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'edit interfaces ge-0/0/3 '
        Nov  3 12:00:07 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'top set forwarding-options port-mirroring instance pm1 family inet output ip-address 203.0.113.7 '
        Nov  3 12:00:08 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'top delete forwarding-options port-mirroring instance pm1 '
        Nov  3 12:00:09 mx4 mgd[2]: UI_CMDLINE_READ_LINE: User 'x', command 'top delete forwarding-options analyzer '
        """
        let changes = readInput("mx4.log", text).changes
        #expect(changes.map(\.resourceId) == ["mx4:analyzer z", "mx4:port-mirroring pm1", "mx4:port-mirroring pm1", "mx4:analyzer z"])
        #expect(changes.map(\.action) == [.create, .create, .delete, .delete])
    }

    @Test func relaysSecondHeadersNxosYearFirstAndISESegments() {
        let text = """
        Nov  3 10:00:01 relay1 Nov  3 10:00:00 core-sw9 88: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 1 destination interface Gi1/0/2
        <189>: 2026 Nov  3 10:00:02 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.2.3@pts/0
        <181>Nov  3 10:15:01 ise01 CISE_TACACS_Accounting 0000077 2 0 2026-11-03 10:15:01.123 +00:00 0000123 3300 NOTICE TACACS: TACACS+ Accounting with Command, Device IP Address=10.0.0.5, CmdSet=[ CmdAV=monitor session 4 destin
        <181>Nov  3 10:15:01 ise01 CISE_TACACS_Accounting 0000077 2 1 ation interface Gi1/0/30 <cr> ], User=mallory, Remote-Address=198.51.100.23, NetworkDeviceName=core-sw9,
        """
        let result = readInput("mixed.log", text)
        #expect(result.changes.first?.scope.device == "core-sw9")
        #expect(result.deviceActivity.contains { $0.kind == .configured && $0.time == Timestamp.parse("2026-11-03T10:00:02Z") })
        #expect(result.changes.contains { $0.resourceId == "core-sw9:monitor session 4" && $0.spec.destination?.id == "core-sw9:GigabitEthernet1/0/30" })
    }

    @Test func tacPlusJunosRangesAndTamperForms() {
        let tac = "Nov  3 10:15:01\tmx5\tbob\tttyp0\t10.1.1.1\tstop\ttask_id=5\tservice=shell\tprocess*mgd[7741]\tcmd=set forwarding-options analyzer q output ip-address 203.0.113.8\n"
        #expect(readInput("tac.acct", tac, as: .deviceSyslog).changes.first?.resourceId == "mx5:analyzer q")
        let config = readInput("sw2.cfg", "hostname sw2\nmonitor session 1 source interface Gi1/0/1 - 3 both\nmonitor session 1 destination interface Gi1/0/48\nmonitor session 2 source Ethernet3 rx ip access-group ACL1\nmonitor session 2 destination Ethernet48\n")
        let sources = config.sessions.first { $0.id == "sw2:monitor session 1" }?.spec.sources.map(\.id)
        #expect(sources == ["sw2:GigabitEthernet1/0/1", "sw2:GigabitEthernet1/0/2", "sw2:GigabitEthernet1/0/3"])
        #expect(config.sessions.first { $0.id == "sw2:monitor session 2" }?.spec.sources.map(\.id) == ["sw2:Ethernet3"])
        #expect(DeviceActivity.tampersWithLogging("no logging 10.1.1.1"))
        #expect(DeviceActivity.tampersWithLogging("logging trap warnings"))
        #expect(!DeviceActivity.tampersWithLogging("logging trap notifications"))
    }
}

@Suite struct SourceRemovalTests {
    @Test func removingTheLastSourceIsAChange() {
        let text = """
        Nov  3 10:00:00 sw7 1: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 2 source interface Gi1/0/5
        Nov  3 10:00:01 sw7 2: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:monitor session 2 destination interface Gi1/0/48
        Nov  3 10:00:02 sw7 3: %PARSER-5-CFGLOG_LOGGEDCMD: User:a  logged command:no monitor session 2 source interface Gi1/0/5
        """
        let changes = readInput("sw7.log", text).changes
        #expect(changes.count == 3)
        #expect(changes.last?.spec.sources.isEmpty == true && changes.last?.spec.sourcesAreAdditions == false)
    }
}
