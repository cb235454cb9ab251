//! Facts about RAM itself, written once for every part that needs them: lint reports against
//! them, generate writes policies that respect them, the request reader checks regions with them.
//!
//! - [`POLICY_SIZE_LIMIT`]: the length of a custom policy document.
//! - [`REGIONS`]: the public region ids an ARN's region field or a request's region may name.
//! - [`PRIVATE_RANGES`]: addresses a request from the internet never has as `acs:SourceIp`.
//! - [`unusable_in_policy`] and its parts: the ARN forms that can never match (documentation
//!   placeholders, unknown regions, non-numeric accounts).

use crate::wildcard::{has_wildcard, is_everything, language};
use ipnet::IpNet;

/// RAM's limit on the length of a custom policy document, in characters.
pub const POLICY_SIZE_LIMIT: usize = 6_144;

/// Public Alibaba Cloud region ids (from the "Regions and zones" documentation, as of
/// 2025-06). Add new regions here; `INVALID_REGION` reports any region field that is neither
/// one of these, nor empty (for global services), nor a wildcard pattern matching one of them.
pub const REGIONS: &[&str] = &[
    "cn-hangzhou",
    "cn-shanghai",
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-wulanchabu",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-nanjing",
    "cn-fuzhou",
    "cn-wuhan-lr",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "us-east-1",
    "us-west-1",
    "eu-west-1",
    "eu-central-1",
    "me-east-1",
    "me-central-1",
    "cn-shanghai-finance-1",
    "cn-shenzhen-finance-1",
    "cn-beijing-finance-1",
    "cn-north-2-gov-1",
    "na-south-1",
];

/// Private address ranges: RFC 1918 and IPv6 unique local addresses.
pub const PRIVATE_RANGES: &[&str] = &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

/// Whether a network lies inside a private range.
pub fn is_private(network: &IpNet) -> bool {
    PRIVATE_RANGES.iter().any(|range| {
        range
            .parse::<IpNet>()
            .is_ok_and(|private| private.contains(network))
    })
}

/// The documentation placeholder in a resource, if any.
pub fn placeholder(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    for (index, byte) in bytes.iter().enumerate() {
        let rest = text.get(index..).unwrap_or("");
        match byte {
            b'$' if bytes
                .get(index + 1)
                .is_some_and(|next| next.is_ascii_alphabetic() || *next == b'{') =>
            {
                let end = rest
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '{' | '}')))
                    .map_or(rest.len(), |(at, _)| at);
                return rest.get(..end);
            }
            b'{' if bytes.get(index + 1) == Some(&b'#') => {
                let end = rest.find('}').map_or(rest.len(), |at| at + 1);
                return rest.get(..end);
            }
            b'[' | b'<' => {
                let close = if *byte == b'[' { ']' } else { '>' };
                if let Some(at) = rest.find(close) {
                    let inner = rest.get(1..at).unwrap_or("");
                    if !inner.is_empty()
                        && inner
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                    {
                        return rest.get(..=at);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Why a concrete ARN (one resolved from a call, no wildcards) could not stand in a policy that
/// lints clean: a documentation placeholder, or a region or account field that `INVALID_REGION` /
/// `INVALID_ARN_ACCOUNT` would report. `None` when it can.
pub fn unusable_in_policy(arn: &str) -> Option<String> {
    if arn == "*" {
        return None;
    }
    if let Some(found) = placeholder(arn) {
        return Some(format!("`{found}` is a documentation placeholder"));
    }
    let fields: Vec<&str> = arn.splitn(5, ':').collect();
    let [_, service, region, account, _] = fields.as_slice() else {
        return Some("it has fewer than five `:`-separated fields".into());
    };
    if !region_ok(service, region) {
        return Some(format!("`{region}` is not an Alibaba Cloud region id"));
    }
    if !account_ok(service, account) {
        return Some(format!("`{account}` is not an account id"));
    }
    None
}

/// Whether a region field is acceptable for a service.
pub fn region_ok(service: &str, region: &str) -> bool {
    if region.is_empty() {
        return !is_regional(service);
    }
    if has_wildcard(region) {
        if is_everything(region) {
            return true;
        }
        let tokens = language::tokens(region, false);
        return REGIONS.iter().any(|known| {
            let chars: Vec<char> = known.chars().collect();
            language::matches(&tokens, &chars)
        });
    }
    REGIONS.contains(&region)
}

/// Services whose ARNs always carry a region and an account: those of the catalog's API metadata
/// (ECS and VPC; both are regional services with per-region endpoints).
pub fn is_regional(service: &str) -> bool {
    crate::catalog::api::service(service).is_some()
}

/// Whether an account field is acceptable for a service.
pub fn account_ok(service: &str, account: &str) -> bool {
    if account.is_empty() {
        return !is_regional(service);
    }
    account
        .chars()
        .all(|c| c.is_ascii_digit() || c == '*' || c == '?')
}
