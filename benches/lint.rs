//! Linting a realistic ~6 KB policy (every check, the embedded catalog already loaded).
//!
//! `cargo bench --bench lint`; the figure is recorded in `docs/PERFORMANCE.md`.

fn main() {
    divan::main();
}

/// A realistic policy just under RAM's 6,144-character limit: an operator's policy with
/// instance, disk, snapshot, security-group and image statements, conditions and a Deny guard.
fn policy() -> String {
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

#[divan::bench]
fn lint_6kb_policy(bencher: divan::Bencher) {
    let text = policy();
    let _ = ram_policy::catalog::Catalog::embedded();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| ram_policy::lint::lint(divan::black_box(&text)));
}

/// The same policy with each catalog edition named explicitly (`seed`: the 2020 table, 161
/// actions; `current`: today's reference and every ECS/VPC API, 758 actions).
#[divan::bench(args = ["seed", "current"])]
fn lint_6kb_policy_edition(bencher: divan::Bencher, edition: &str) {
    use ram_policy::catalog::{Catalog, Edition};
    let text = policy();
    let catalog = Edition::parse(edition)
        .ok()
        .and_then(|edition| Catalog::edition(edition).ok());
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| ram_policy::lint::lint_with(divan::black_box(&text), catalog));
}

#[divan::bench]
fn size_and_findings() -> usize {
    // Keeps the policy honest: about 6 KB, and clean apart from suggestions.
    let text = policy();
    assert!((5_000..7_500).contains(&text.len()), "{}", text.len());
    ram_policy::lint::lint(&text).len()
}

#[divan::bench]
fn parse_only_6kb_policy(bencher: divan::Bencher) {
    let text = policy();
    bencher.bench(|| ram_policy::policy::PolicyDocument::parse(divan::black_box(&text)).is_ok());
}
