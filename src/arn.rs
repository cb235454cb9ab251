//! Alibaba Cloud resource names: `acs:<service>:<region>:<account>:<resource>`.
//!
//! ```
//! use ram_policy::Arn;
//! let arn: Arn = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1".parse().unwrap();
//! assert_eq!(arn.service(), "ecs");
//! assert_eq!(arn.resource(), "instance/i-1");
//! // RAM's own ARNs have an empty region.
//! let role: Arn = "acs:ram::123:role/admin".parse().unwrap();
//! assert_eq!(role.region(), "");
//! assert_eq!(role.to_string(), "acs:ram::123:role/admin");
//! ```
//!
//! The resource part may itself contain `:` (it is everything after the fourth colon), so
//! printing a parsed ARN always gives back the original text.

use std::fmt;
use std::str::FromStr;

/// A parsed ARN. The fields are kept as text: policy patterns with `*` and `?` use the same
/// shape, so the type is shared by concrete ARNs and patterns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arn {
    service: String,
    region: String,
    account: String,
    resource: String,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArnError {
    /// The text does not start with `acs:`.
    #[error("`{text}` is not an ARN: it must start with `acs:`")]
    MissingPrefix {
        /// The text that was given.
        text: String,
    },
    /// Fewer than five `:`-separated fields.
    #[error("`{text}` is not an ARN: it needs five fields `acs:<service>:<region>:<account>:<resource>`, found {found}")]
    TooFewFields {
        /// The text that was given.
        text: String,
        /// How many fields were found.
        found: usize,
    },
    /// A field that must not be empty is empty.
    #[error("`{text}` is not an ARN: the {field} field is empty")]
    EmptyField {
        /// The text that was given.
        text: String,
        /// `service`, `account` or `resource`.
        field: &'static str,
    },
}

impl Arn {
    /// Builds an ARN from its parts. The service, account and resource must not be empty; the
    /// region may be (RAM's own ARNs have none).
    pub fn new(
        service: impl Into<String>,
        region: impl Into<String>,
        account: impl Into<String>,
        resource: impl Into<String>,
    ) -> Result<Self, ArnError> {
        let arn = Arn {
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        };
        arn.check_fields()?;
        Ok(arn)
    }

    fn check_fields(&self) -> Result<(), ArnError> {
        let empty = if self.service.is_empty() {
            Some("service")
        } else if self.account.is_empty() {
            Some("account")
        } else if self.resource.is_empty() {
            Some("resource")
        } else {
            None
        };
        match empty {
            Some(field) => Err(ArnError::EmptyField {
                text: self.to_string(),
                field,
            }),
            None => Ok(()),
        }
    }

    /// The service code, e.g. `ecs`, `vpc`, `ram`.
    pub fn service(&self) -> &str {
        &self.service
    }
    /// The region id; empty for global services.
    pub fn region(&self) -> &str {
        &self.region
    }
    /// The account id.
    pub fn account(&self) -> &str {
        &self.account
    }
    /// The relative id, e.g. `instance/i-1`.
    pub fn resource(&self) -> &str {
        &self.resource
    }
    /// The resource type: the relative id up to its first `/` (`instance` for `instance/i-1`).
    pub fn resource_type(&self) -> &str {
        self.resource
            .split_once('/')
            .map_or(self.resource.as_str(), |(kind, _)| kind)
    }
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let Some(rest) = text.strip_prefix("acs:") else {
            return Err(ArnError::MissingPrefix { text: text.into() });
        };
        let mut parts = rest.splitn(4, ':');
        let (Some(service), Some(region), Some(account), Some(resource)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ArnError::TooFewFields {
                text: text.into(),
                found: 1 + rest.split(':').count(),
            });
        };
        let arn = Arn {
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        };
        arn.check_fields()?;
        Ok(arn)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "acs:{}:{}:{}:{}",
            self.service, self.region, self.account, self.resource
        )
    }
}

impl serde::Serialize for Arn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_five_fields() {
        let arn: Arn = "acs:ecs:cn-hangzhou:123:instance/i-1".parse().unwrap();
        assert_eq!(
            (arn.service(), arn.region(), arn.account(), arn.resource()),
            ("ecs", "cn-hangzhou", "123", "instance/i-1")
        );
        assert_eq!(arn.resource_type(), "instance");
    }

    #[test]
    fn resource_may_contain_colons() {
        let arn: Arn = "acs:oss:*:123:bucket/a:b".parse().unwrap();
        assert_eq!(arn.resource(), "bucket/a:b");
        assert_eq!(arn.to_string(), "acs:oss:*:123:bucket/a:b");
    }

    #[test]
    fn rejects_bad_text_with_a_reason() {
        assert!(matches!(
            "arn:aws:s3:::x".parse::<Arn>(),
            Err(ArnError::MissingPrefix { .. })
        ));
        assert!(matches!(
            "acs:ecs:cn-hangzhou".parse::<Arn>(),
            Err(ArnError::TooFewFields { found: 3, .. })
        ));
        let err = "acs:ecs:cn-hangzhou:123:".parse::<Arn>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`acs:ecs:cn-hangzhou:123:` is not an ARN: the resource field is empty"
        );
        assert!("acs::r:1:x".parse::<Arn>().is_err());
    }
}
