import Mirrorwatch

/// Azure virtual network TAP scenarios as Activity Log records (Event Hub archive shape), with
/// an `az network nic list` snapshot that tags the cardholder NIC.
enum AzureExercises {
    typealias AZ = AzureActivityRecords

    static func scenarios(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let sub = setup.azureSubscription
        let foreign = "/subscriptions/0badf00d-0000-4000-8000-999999999999/resourceGroups/rg-x/providers/Microsoft.Network/networkInterfaces/nic-capture/ipConfigurations/ipconfig1"
        // The cardholder NIC as the policy recognises it: by its tag, or by an address in a sensitive range.
        let tag = setup.azureSensitiveTag.map { "\"tags\": {\"\($0.key)\": \"\($0.value)\"}, " } ?? ""
        let nics = """
        [{"id": "\(AZ.nic("nic-pci", subscription: sub))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-pci", subscription: sub))", "privateIpAddress": "\(setup.azureSensitiveAddress)"}], "name": "nic-pci",
          \(tag)"tapConfigurations": [], "type": "Microsoft.Network/networkInterfaces"},
         {"id": "\(AZ.nic("nic-web", subscription: sub))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-web", subscription: sub))", "privateIpAddress": "172.16.40.8"}], "name": "nic-web",
          "tapConfigurations": [], "type": "Microsoft.Network/networkInterfaces"}]
        """
        func log(_ records: [[String: Any]]) -> [String: String] {
            var files = ["snapshots/azure/nics.json": nics]
            if !records.isEmpty { files["azure/insights-activity-logs/resourceId=/SUBSCRIPTIONS/\(sub.uppercased())/y=2026/m=11/d=03/h=10/m=00/PT1H.json"] = CloudTrailRecords.json(["records": records]) }
            return files
        }
        func s(_ name: String, _ kind: ExerciseScenario.Kind, _ title: String, rules: [String] = [], files: [String: String]) -> ExerciseScenario {
            ExerciseScenario(id: "azure.\(name)", platform: .azure, kind: kind, title: title, expectedRules: rules, files: files)
        }
        let admin = setup.azureAuthorizedCaller, guest = "guest.consultant@outlook.com"
        let ticket = "number,state,start_date,end_date,assigned_to,short_description,u_affected_resources\n"
            + "CHG-EX-3,Implement,2026-11-03 09:00:00,2026-11-03 12:00:00,\(admin),TAP to the NDR sensor,\"tap-rollout, nic-web\"\n"
        return [
            s("sensitive-to-external", .attack, "A guest attaches the cardholder NIC to a TAP in another subscription",
              rules: [RuleID.externalDestination, RuleID.unapprovedDestination, RuleID.sensitiveSource],
              files: log(AZ.writeTap("tap-exfil", destination: foreign, caller: guest, at: "2026-11-03T10:00:00Z", subscription: sub)
                         + AZ.attach("nic-pci", config: "tapcfg-exfil", tap: "tap-exfil", caller: guest, at: "2026-11-03T10:02:00Z", subscription: sub))),
            s("repoint-approved-tap", .attack, "The approved TAP is re-pointed to another subscription",
              rules: [RuleID.repointed],
              files: log(AZ.writeTap("tap-ndr", destination: setup.azureApprovedDestination, caller: admin, at: "2026-11-03T09:00:00Z", subscription: sub)
                         + AZ.attach("nic-web", config: "tapcfg-ndr", tap: "tap-ndr", caller: admin, at: "2026-11-03T09:02:00Z", subscription: sub)
                         + AZ.writeTap("tap-ndr", destination: foreign, caller: guest, at: "2026-11-03T10:00:00Z", subscription: sub, created: false))),
            s("create-then-delete", .attack, "A TAP configuration lives ten minutes",
              rules: [RuleID.transient],
              files: log(AZ.writeTap("tap-dbg", destination: AZ.ipConfig("nic-dev-box", subscription: sub), caller: guest, at: "2026-11-03T10:00:00Z", subscription: sub)
                         + AZ.attach("nic-web", config: "tapcfg-dbg", tap: "tap-dbg", caller: guest, at: "2026-11-03T10:01:00Z", subscription: sub)
                         + AZ.delete("Microsoft.Network/networkInterfaces/tapConfigurations/delete", resourceId: AZ.tapConfiguration("nic-web", "tapcfg-dbg", subscription: sub),
                                     caller: guest, at: "2026-11-03T10:11:00Z"))),
            s("failed-probing", .attack, "A guest's TAP creation is refused",
              rules: [RuleID.denied],
              files: log([AZ.record("Microsoft.Network/virtualNetworkTaps/write", resourceId: AZ.tap("tap-try", subscription: sub), status: "Failure", caller: guest,
                                    at: "2026-11-03T10:00:00Z", correlation: "00000000-0000-4000-8000-00000000e001", failure: ("Forbidden", "AuthorizationFailed"))])),
            s("logging-off-first", .attack, "The subscription's diagnostic setting is deleted",
              rules: [RuleID.loggingTampered],
              files: log(AZ.delete("Microsoft.Insights/diagnosticSettings/delete",
                                   resourceId: "/subscriptions/\(sub)/providers/microsoft.insights/diagnosticSettings/to-sentinel", caller: guest, at: "2026-11-03T09:58:00Z"))),
            s("unusual-identity-no-ticket", .attack, "A developer creates a TAP to the sensor without a ticket",
              rules: [RuleID.unauthorizedActor, RuleID.noTicket],
              files: log(AZ.writeTap("tap-bob", destination: setup.azureApprovedDestination, caller: "bob.dev@example.com", at: "2026-11-03T10:00:00Z", subscription: sub)
                         + AZ.attach("nic-web", config: "tapcfg-bob", tap: "tap-bob", caller: "bob.dev@example.com", at: "2026-11-03T10:02:00Z", subscription: sub))),
            s("approved-rollout", .benign, "The network team attaches the web NIC to the approved sensor under a ticket",
              files: log(AZ.writeTap("tap-rollout", destination: setup.azureApprovedDestination, caller: admin, at: "2026-11-03T09:30:00Z", subscription: sub)
                         + AZ.attach("nic-web", config: "tapcfg-rollout", tap: "tap-rollout", caller: admin, at: "2026-11-03T09:32:00Z", subscription: sub))
                .merging(["tickets/change_request.csv": ticket]) { a, _ in a }),
            s("ordinary-activity", .benign, "Only ordinary resource operations", files: log([])),
        ] + (setup.azureApprovedFrontend.map { [memberBehindApprovedBalancer(frontend: $0, setup: setup, admin: admin, guest: guest, log: log, s: s)] } ?? [])
    }

    /// A NIC joins the backend pool behind the approved load balancer frontend a TAP sends to (only
    /// when the policy approves a load balancer frontend: otherwise no TAP of yours sends to one).
    static func memberBehindApprovedBalancer(frontend: String, setup: ExerciseSetup, admin: String, guest: String,
                                             log: ([[String: Any]]) -> [String: String],
                                             s: (String, ExerciseScenario.Kind, String, [String], [String: String]) -> ExerciseScenario) -> ExerciseScenario {
        let sub = setup.azureSubscription
        let balancer = frontend.range(of: "/frontendIPConfigurations/", options: .caseInsensitive).map { String(frontend[..<$0.lowerBound]) } ?? frontend
        let pool = balancer + "/backendAddressPools/ndr-sensors"
        let balancers = CloudTrailRecords.json([[
            "id": balancer, "name": "lb-ndr", "type": "Microsoft.Network/loadBalancers", "frontendIPConfigurations": [["id": frontend]],
            "backendAddressPools": [["id": pool, "backendIPConfigurations": [["id": setup.azureApprovedDestination]]]],
            "loadBalancingRules": [["id": balancer + "/loadBalancingRules/ha-ports", "frontendIPConfiguration": ["id": frontend],
                                    "backendAddressPool": ["id": pool], "protocol": "All", "frontendPort": 0, "backendPort": 0]]]], pretty: true)
        let join: [String: Any] = ["location": "westeurope", "properties": ["ipConfigurations": [["name": "ipconfig1", "properties": [
            "privateIPAddress": "172.16.40.66", "loadBalancerBackendAddressPools": [["id": pool]]]]]]]
        let nic = AZ.nic("nic-dev-box", subscription: sub)
        let correlation = "00000000-0000-4000-8000-00000000e0b1"
        var files = log(AZ.writeTap("tap-lb", destination: frontend, loadBalancer: true, caller: admin, at: "2026-11-03T09:00:00Z", subscription: sub)
                        + AZ.attach("nic-web", config: "tapcfg-lb", tap: "tap-lb", caller: admin, at: "2026-11-03T09:02:00Z", subscription: sub)
                        + [AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: nic, status: "Start", body: join, caller: guest,
                                     at: "2026-11-03T10:00:00Z", correlation: correlation),
                           AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: nic, status: "Success", caller: guest,
                                     at: "2026-11-03T10:00:06Z", correlation: correlation, statusCode: "OK")])
        files["snapshots/azure/lbs.json"] = balancers
        return s("member-behind-approved-lb", .attack, "A guest's NIC joins the backend pool behind the approved load balancer a TAP sends to",
                 [RuleID.unapprovedDestination, RuleID.unauthorizedActor], files)
    }

    static func background(count: Int, subscription: String, random: inout ExerciseRandom) -> [String: String] {
        guard count > 0 else { return [:] }
        let operations = ["Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/write", "Microsoft.Storage/storageAccounts/listKeys/action",
                          "Microsoft.Network/networkSecurityGroups/write", "Microsoft.Resources/deployments/write"]
        let records = (0..<count).map { _ -> [String: Any] in
            AZ.record(random.pick(operations), resourceId: "/subscriptions/\(subscription)/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-\(random.below(30))",
                      status: "Success", caller: "ops\(random.below(5))@contoso.com",
                      at: String(format: "2026-11-03T%02d:%02d:%02dZ", 8 + random.below(8), random.below(60), random.below(60)),
                      correlation: random.uuid())
        }
        return ["azure/insights-activity-logs/resourceId=/SUBSCRIPTIONS/\(subscription.uppercased())/y=2026/m=11/d=03/h=08/m=00/PT1H.json": CloudTrailRecords.json(["records": records])]
    }
}
