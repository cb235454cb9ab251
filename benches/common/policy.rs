//! The benchmarks' realistic ~6 KB policy, shared by `lint` and `diff`.

/// A realistic policy just under RAM's 6,144-character limit: an operator's policy with
/// instance, disk, snapshot, security-group and image statements, conditions and a Deny guard.
pub fn policy() -> String {
    let account = "1234567890123456";
    let regions = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];
    let mut statements = Vec::new();
    statements.push(serde_json::json!({
        "Effect": "Allow",
        "Action": ["ecs:Describe*", "ecs:ListTagResources"],
        "Resource": "*"
    }));
    for region in regions {
        let arn = |kind: &str| format!("acs:ecs:{region}:{account}:{kind}/*");
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": ["ecs:StartInstance", "ecs:StopInstance", "ecs:RebootInstance", "ecs:ModifyInstanceAttribute", "ecs:ModifyInstanceSpec", "ecs:RenewInstance"],
            "Resource": arn("instance"),
            "Condition": {"StringEquals": {"ecs:tag/team": ["web", "api"]}, "IpAddress": {"acs:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}
        }));
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": ["ecs:CreateDisk", "ecs:AttachDisk", "ecs:DetachDisk", "ecs:ResizeDisk", "ecs:ModifyDiskAttribute", "ecs:CreateSnapshot", "ecs:DeleteSnapshot"],
            "Resource": [arn("disk"), arn("snapshot"), arn("instance")],
            "Condition": {"Bool": {"acs:MFAPresent": "true"}}
        }));
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": ["ecs:AuthorizeSecurityGroup", "ecs:RevokeSecurityGroup", "ecs:ModifySecurityGroupRule", "ecs:JoinSecurityGroup", "ecs:LeaveSecurityGroup"],
            "Resource": [arn("securitygroup"), arn("instance")],
            "Condition": {"StringLike": {"acs:UserAgent": "terraform*"}, "DateLessThan": {"acs:CurrentTime": "2026-12-31T23:59:59Z"}}
        }));
    }
    statements.push(serde_json::json!({
        "Effect": "Deny",
        "Action": ["ecs:DeleteInstance", "ecs:DeleteDisk", "ecs:ResetDisk", "ecs:ReInitDisk", "ecs:ReplaceSystemDisk"],
        "Resource": "*",
        "Condition": {"StringNotEquals": {"acs:SourceVpc": ["vpc-bp1example0000000001", "vpc-bp1example0000000002"]}}
    }));
    serde_json::to_string_pretty(&serde_json::json!({"Version": "1", "Statement": statements}))
        .unwrap_or_default()
}
