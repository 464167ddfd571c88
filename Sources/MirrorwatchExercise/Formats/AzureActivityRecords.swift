import Foundation
import MirrorwatchModel

/// Builds Azure Activity Log records as Event Hub / Storage exports and the REST API write them: for exercises, and for the tests.
public enum AzureActivityRecords {
    public static let subscription = "6f1c2d3e-0000-4a5b-8c9d-111122223333"

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()
    static func next() -> Int { lock.lock(); defer { lock.unlock() }; counter += 1; return counter }

    /// The subscription a resource id names (the built-in one when it names none).
    static func subscriptionOf(_ resourceId: String) -> String { ResourceRef.owner(of: resourceId) ?? subscription }

    /// Starts the record counter at `base` (see `CloudTrailRecords.startIds`).
    public static func startIds(at base: Int) { lock.lock(); counter = base; lock.unlock() }

    /// A GUID from the record counter, so that generated exercises are the same on every run.
    static func guid() -> String { String(format: "00000000-0000-4000-8000-%012d", next()) }

    public static func id(_ provider: String, subscription: String = subscription, group: String = "rg-net") -> String {
        "/subscriptions/\(subscription)/resourceGroups/\(group)/providers/Microsoft.Network/\(provider)"
    }
    public static func tap(_ name: String, subscription: String = subscription) -> String { id("virtualNetworkTaps/\(name)", subscription: subscription) }
    public static func nic(_ name: String, subscription: String = subscription) -> String { id("networkInterfaces/\(name)", subscription: subscription) }
    public static func ipConfig(_ nicName: String, subscription: String = subscription) -> String { nic(nicName, subscription: subscription) + "/ipConfigurations/ipconfig1" }
    public static func tapConfiguration(_ nicName: String, _ name: String, subscription: String = subscription) -> String {
        nic(nicName, subscription: subscription) + "/tapConfigurations/\(name)"
    }

    public static func claims(upn: String?, appId: String = "04b07795-8ddb-461a-bbee-02f9e1bf7b46") -> [String: Any] {
        var claims: [String: Any] = [
            "appid": appId, "ipaddr": "198.51.100.44",
            "http://schemas.microsoft.com/identity/claims/objectidentifier": "9a1b2c3d-0000-4000-8000-00000000a11c",
            "http://schemas.microsoft.com/identity/claims/tenantid": "72f988bf-0000-4000-8000-000000000001",
        ]
        if let upn { claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = upn }
        return claims
    }

    /// One Event Hub / Storage record (upper-case names, bodies as JSON strings).
    public static func record(_ operation: String, resourceId: String, status: String, body: [String: Any]? = nil, response: [String: Any]? = nil,
                              caller: String? = "alice@contoso.com", at time: String, correlation: String,
                              failure: (String, String)? = nil, statusCode: String = "Created") -> [String: Any] {
        var properties: [String: Any] = ["eventCategory": "Administrative", "entity": resourceId, "message": operation,
                                         "hierarchy": "72f988bf/\(subscriptionOf(resourceId))"]
        if let body { properties["requestbody"] = CloudTrailRecords.json(body) }
        if let response { properties["responseBody"] = CloudTrailRecords.json(response); properties["statusCode"] = statusCode }
        if let failure {
            properties["statusCode"] = failure.0
            properties["statusMessage"] = CloudTrailRecords.json(["error": ["code": failure.1, "message": "The client does not have authorization to perform action."]])
        }
        var record: [String: Any] = [
            "time": time, "resourceId": resourceId.uppercased(), "operationName": operation.uppercased(), "category": "Administrative",
            "resultType": status, "resultSignature": status == "Start" ? "Started." : status, "durationMs": "0",
            "callerIpAddress": "198.51.100.44", "correlationId": correlation, "level": "Information", "location": "global",
            "identity": ["authorization": ["scope": resourceId, "action": operation], "claims": claims(upn: caller)],
            "properties": properties,
        ]
        if caller == nil { record["identity"] = ["claims": claims(upn: nil)] }
        return record
    }

    /// A TAP create or re-point: Start (with the request body) and Success (with the response) records.
    /// `created`: whether the final record says 201 Created (a new TAP) or 200 OK (an update).
    public static func writeTap(_ name: String, destination: String, loadBalancer: Bool = false, caller: String? = "alice@contoso.com",
                                at time: String, subscription: String = subscription, created: Bool = true) -> [[String: Any]] {
        let key = loadBalancer ? "destinationLoadBalancerFrontEndIPConfiguration" : "destinationNetworkInterfaceIPConfiguration"
        let body: [String: Any] = ["location": "westeurope", "properties": [key: ["id": destination], "destinationPort": 4789]]
        let correlation = guid()
        let id = tap(name, subscription: subscription)
        return [record("Microsoft.Network/virtualNetworkTaps/write", resourceId: id, status: "Start", body: body, caller: caller, at: time, correlation: correlation),
                record("Microsoft.Network/virtualNetworkTaps/write", resourceId: id, status: "Success", response: body, caller: caller,
                       at: time.replacingOccurrences(of: ":00Z", with: ":04Z"), correlation: correlation, statusCode: created ? "Created" : "OK")]
    }

    public static func attach(_ nicName: String, config: String, tap tapName: String, caller: String? = "alice@contoso.com", at time: String,
                              subscription: String = subscription) -> [[String: Any]] {
        let body: [String: Any] = ["properties": ["virtualNetworkTap": ["id": tap(tapName, subscription: subscription)]]]
        let correlation = guid()
        let id = tapConfiguration(nicName, config, subscription: subscription)
        return [record("Microsoft.Network/networkInterfaces/tapConfigurations/write", resourceId: id, status: "Start", body: body, caller: caller, at: time, correlation: correlation),
                record("Microsoft.Network/networkInterfaces/tapConfigurations/write", resourceId: id, status: "Accept", caller: caller, at: time, correlation: correlation),
                record("Microsoft.Network/networkInterfaces/tapConfigurations/write", resourceId: id, status: "Success", response: body, caller: caller,
                       at: time.replacingOccurrences(of: ":00Z", with: ":09Z"), correlation: correlation)]
    }

    public static func delete(_ operation: String, resourceId: String, caller: String? = "alice@contoso.com", at time: String) -> [[String: Any]] {
        let correlation = guid()
        return [record(operation, resourceId: resourceId, status: "Start", caller: caller, at: time, correlation: correlation),
                record(operation, resourceId: resourceId, status: "Success", caller: caller, at: time, correlation: correlation)]
    }

    /// The same event in the REST / portal export shape.
    public static func rest(_ record: [String: Any]) -> [String: Any] {
        let identity = record["identity"] as? [String: Any]
        let claims = identity?["claims"] as? [String: Any] ?? [:]
        let status = record["resultType"] as? String ?? ""
        let restStatus = ["Start": "Started", "Accept": "Accepted", "Success": "Succeeded", "Failure": "Failed"][status] ?? status
        let operation = (record["properties"] as? [String: Any])?["message"] as? String ?? ""
        let resourceId = (record["properties"] as? [String: Any])?["entity"] as? String ?? ""
        return [
            "authorization": ["action": operation, "scope": resourceId], "caller": claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] ?? claims["appid"] ?? "",
            "channels": "Operation", "claims": claims, "correlationId": record["correlationId"] ?? "",
            "eventDataId": guid(), "eventName": ["value": status == "Start" ? "BeginRequest" : "EndRequest"],
            "category": ["value": "Administrative"], "eventTimestamp": record["time"] ?? "",
            "httpRequest": ["clientRequestId": guid(), "clientIpAddress": "198.51.100.44", "method": "PUT"],
            "id": resourceId + "/events/\(next())", "level": "Informational", "resourceGroupName": "rg-net",
            "resourceProviderName": ["value": "Microsoft.Network"], "resourceId": resourceId,
            "operationId": guid(), "operationName": ["value": operation, "localizedValue": "Create or update"],
            "properties": record["properties"] ?? [:], "status": ["value": restStatus], "subStatus": ["value": ""],
            "submissionTimestamp": record["time"] ?? "", "subscriptionId": subscriptionOf(resourceId),
        ]
    }
}
