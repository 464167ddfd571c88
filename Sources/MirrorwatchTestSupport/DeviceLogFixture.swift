/// Device command logs as switches and relays write them, for tests.
public enum DeviceLogFixture {
    /// mallory logs in to core-sw1 and builds an ERSPAN session from Gi1/0/1 to 203.0.113.50 through
    /// sub-mode commands (relayed in three framings), then removes it ten minutes later.
    public static let iosErspanAttack = """
    Nov  3 10:14:40 core-sw1 1040: Nov  3 10:14:40.101 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: mallory] [Source: 198.51.100.23] [localport: 22] at 10:14:40 UTC Tue Nov 3 2026
    Nov  3 10:15:02 core-sw1 1042: Nov  3 10:15:01.337 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:monitor session 3 type erspan-source
    Nov  3 10:15:09 core-sw1 1043: Nov  3 10:15:08.901 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:source interface Gi1/0/1
    Nov  3 10:15:14 core-sw1 1044: Nov  3 10:15:14.010 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:destination
    Nov  3 10:15:20 core-sw1 1045: Nov  3 10:15:20.500 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:erspan-id 100
    2026-11-03T10:15:27+00:00 relay-1 <189>Nov  3 10:15:26 core-sw1 1046: *Nov  3 10:15:26.020 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:ip address 203.0.113.50
    <189>1 2026-11-03T10:15:31.000Z core-sw1 - - - - 1047: Nov  3 10:15:31.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:no shutdown
    Nov  3 10:15:40 core-sw1 1049: Nov  3 10:15:40.000 UTC: %SYS-5-CONFIG_I: Configured from console by mallory on vty0 (198.51.100.23)
    Nov  3 10:16:02 core-sw1 1050: Nov  3 10:16:02.000 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/9, changed state to up
    Nov  3 10:25:00 core-sw1 1051: Nov  3 10:25:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:no monitor session 3
    """
}
