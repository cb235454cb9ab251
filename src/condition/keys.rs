//! The registry of known condition keys: name, value type and a description.
//!
//! Lint uses it to report unknown keys (with the nearest known one) and operators that do not
//! fit a key's type; the evaluator uses the types to refuse request values of the wrong type
//! (an `acs:SourceIp` of `abc` never matches anything).
//!
//! (The example is the test `documented_example` below, this module being private.)

use serde::Serialize;

/// The type of a condition key's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    String,
    Numeric,
    Date,
    Bool,
    Ip,
}

impl KeyType {
    /// The lowercase name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::String => "string",
            KeyType::Numeric => "numeric",
            KeyType::Date => "date",
            KeyType::Bool => "bool",
            KeyType::Ip => "ip",
        }
    }
}

/// A known condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KnownKey {
    /// The key as documented; a family of keys is written with a `<key>` suffix
    /// (`acs:RequestTag/<key>`).
    pub name: &'static str,
    pub value_type: KeyType,
    pub description: &'static str,
}

impl KnownKey {
    /// For a key family (`ecs:tag/<key>`), the prefix before `<key>`.
    pub fn family_prefix(&self) -> Option<&'static str> {
        self.name.strip_suffix("<key>")
    }
}

macro_rules! key {
    ($name:expr, $type:ident, $description:expr) => {
        KnownKey {
            name: $name,
            value_type: KeyType::$type,
            description: $description,
        }
    };
}

/// Every known key, global `acs:` keys first, then the ECS and VPC keys.
pub static KNOWN_KEYS: &[KnownKey] = &[
    key!(
        "acs:SourceIp",
        Ip,
        "the IP address the request comes from (the TCP peer)"
    ),
    key!("acs:CurrentTime", Date, "the time RAM receives the request"),
    key!(
        "acs:SecureTransport",
        Bool,
        "whether the request uses HTTPS"
    ),
    key!(
        "acs:MFAPresent",
        Bool,
        "whether the caller signed in with MFA"
    ),
    key!(
        "acs:SourceVpc",
        String,
        "the VPC the request comes from (set only for requests from a VPC)"
    ),
    key!(
        "acs:AccessId",
        String,
        "the AccessKey id of the caller (STS keys start with `STS.`)"
    ),
    key!(
        "acs:UserAgent",
        String,
        "the User-Agent header of the request"
    ),
    key!("acs:Referer", String, "the Referer header of the request"),
    key!("acs:PrincipalARN", String, "the ARN of the caller"),
    key!(
        "acs:Service",
        String,
        "the service a role is passed to (with `ram:PassRole`)"
    ),
    key!("acs:RequestTag/<key>", String, "a tag the request sets"),
    key!(
        "acs:ResourceTag/<key>",
        String,
        "a tag the resource carries"
    ),
    key!(
        "ecs:AssociatePublicIpAddress",
        Bool,
        "whether a public IP address is assigned"
    ),
    key!(
        "ecs:LoginAsNonRoot",
        Bool,
        "whether the instance is logged in to as a non-root user"
    ),
    key!(
        "ecs:NotSpecifySecurityGroupId",
        Bool,
        "whether no security group is specified"
    ),
    key!(
        "ecs:PasswordCustomized",
        Bool,
        "whether a custom password is set"
    ),
    key!(
        "ecs:PasswordInherit",
        Bool,
        "whether the image's preset password is used"
    ),
    key!(
        "ecs:SecurityHardeningMode",
        Bool,
        "whether security hardening mode is on"
    ),
    key!(
        "vpc:CreateDefaultVpc",
        Bool,
        "whether a default VPC is created"
    ),
    key!(
        "vpc:IsDefaultVSwitch",
        Bool,
        "whether the vSwitch is a default vSwitch"
    ),
    key!("vpc:IsDefaultVpc", Bool, "whether the VPC is a default VPC"),
    key!(
        "ecs:CommandRunAs",
        String,
        "the user a Cloud Assistant command runs as"
    ),
    key!(
        "ecs:ImageOwnerId",
        String,
        "the account that owns the image"
    ),
    key!(
        "ecs:ImagePlatform",
        String,
        "the operating system platform of the image"
    ),
    key!("ecs:ImageSource", String, "the source of the image"),
    key!("ecs:InstanceType", String, "the instance type"),
    key!("ecs:InstanceTypeFamily", String, "the instance type family"),
    key!(
        "ecs:IsDiskEncrypted",
        String,
        "whether data disks are encrypted"
    ),
    key!(
        "ecs:IsSystemDiskEncrypted",
        String,
        "whether the system disk is encrypted"
    ),
    key!(
        "ecs:IsDiskByokEncrypted",
        String,
        "whether data disks are encrypted with a customer key"
    ),
    key!(
        "ecs:IsSystemDiskByokEncrypted",
        String,
        "whether the system disk is encrypted with a customer key"
    ),
    key!(
        "ecs:SecurityEnhancementStrategy",
        String,
        "whether security enhancement is enabled"
    ),
    key!(
        "ecs:SecurityGroupIpProtocols",
        String,
        "the IP protocols of a security group rule"
    ),
    key!(
        "ecs:SecurityGroupSourceCidrIps",
        String,
        "the source CIDR blocks of a security group rule"
    ),
    key!("vpc:VPC", String, "the VPC of the resource"),
    key!(
        "ecs:tag/<key>",
        String,
        "a tag of the ECS resource (older form)"
    ),
    key!("vpc:tag/<key>", String, "a tag of the VPC resource"),
];

/// The known key a name refers to, comparing with letter case (key names are case-sensitive,
/// like every other name in a policy); a family member (`acs:RequestTag/env`) maps to its family
/// (`acs:RequestTag/<key>`).
pub fn lookup(name: &str) -> Option<&'static KnownKey> {
    lookup_by(name, |given, known| given == known)
}

/// Like [`lookup`], ignoring ASCII letter case: finds the documented spelling of a miscased
/// key (`acs:SourceIP` → `acs:SourceIp`) for suggestions.
pub fn lookup_ignoring_case(name: &str) -> Option<&'static KnownKey> {
    lookup_by(name, str::eq_ignore_ascii_case)
}

fn lookup_by(name: &str, same: impl Fn(&str, &str) -> bool) -> Option<&'static KnownKey> {
    KNOWN_KEYS.iter().find(|known| match known.family_prefix() {
        Some(prefix) => {
            name.len() > prefix.len()
                && name
                    .get(..prefix.len())
                    .is_some_and(|head| same(head, prefix))
        }
        None => same(known.name, name),
    })
}

/// The type of a key, `None` for keys the registry does not know (compared as given).
pub fn key_type(name: &str) -> Option<KeyType> {
    lookup(name).map(|known| known.value_type)
}

/// Up to `limit` known key names nearest to `name`, for "did you mean" hints.
pub fn nearest(name: &str, limit: usize) -> Vec<String> {
    crate::suggest::nearest(name, KNOWN_KEYS.iter().map(|known| known.name), limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_need_a_tag_key() {
        assert!(lookup("acs:RequestTag/").is_none());
        assert_eq!(lookup("vpc:tag/x").unwrap().value_type, KeyType::String);
        assert_eq!(key_type("acs:MFAPresent"), Some(KeyType::Bool));
        assert_eq!(key_type("acs:mfapresent"), None);
        assert_eq!(
            lookup_ignoring_case("acs:mfapresent").map(|known| known.name),
            Some("acs:MFAPresent")
        );
        assert_eq!(key_type("custom:Key"), None);
    }

    #[test]
    fn every_key_is_distinct_and_described() {
        for (index, known) in KNOWN_KEYS.iter().enumerate() {
            assert!(!known.description.is_empty());
            for other in &KNOWN_KEYS[index + 1..] {
                assert!(
                    !known.name.eq_ignore_ascii_case(other.name),
                    "{}",
                    known.name
                );
            }
        }
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::condition::keys::{lookup, lookup_ignoring_case, KeyType};
        assert_eq!(lookup("acs:SourceIp").unwrap().value_type, KeyType::Ip);
        // Key names are case-sensitive; the miscased spelling is found only for suggestions.
        assert!(lookup("ACS:sourceip").is_none());
        assert_eq!(
            lookup_ignoring_case("ACS:sourceip").unwrap().name,
            "acs:SourceIp"
        );
        assert_eq!(lookup("ecs:tag/env").unwrap().name, "ecs:tag/<key>");
        assert!(lookup("acs:Nope").is_none());
    }
}
