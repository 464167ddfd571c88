#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into `::ffff:0:0/96`).
public struct IPAddress: Sendable, Hashable {
    public var bytes: [UInt8]
    public var isV4: Bool

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: [" "])
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            let raw = withUnsafeBytes(of: v4) { Array($0) }
            bytes = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + raw
            isV4 = true
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            isV4 = false
            return
        }
        return nil
    }
}

/// An address range in CIDR notation; a bare address is a /32 (or /128).
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public var network: IPAddress
    /// Prefix length over the 128-bit form.
    public var prefix: Int
    public var text: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isV4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maximum).contains(n) else { return nil }
            length = n
        }
        network = address
        prefix = address.isV4 ? length + 96 : length
        self.text = text
    }

    public var description: String { text }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isV4 == network.isV4 else { return false }
        var remaining = prefix
        for i in 0..<16 {
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xFF : UInt8(0xFF << (8 - remaining) & 0xFF)
            if address.bytes[i] & mask != network.bytes[i] & mask { return false }
            remaining -= 8
        }
        return true
    }

    public func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return contains(address)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: [Character]) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
