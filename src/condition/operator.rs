//! The condition operators as one table: each row of [`operators!`] is one operator with
//! everything about it (its name is the row's name; the type of values it compares, how it
//! compares them, whether it is negated). The enum, [`Operator::ALL`], parsing by name, typing
//! and evaluation all derive from the table, so adding an operator is adding a row.

use super::keys::KeyType;

/// How an operator relates a request value to a policy value (a negated operator: to none of
/// them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// Equal values; for addresses, the request's address lies in the policy's network.
    Equals,
    /// Equal strings, letter case ignored (Unicode lowercase).
    EqualsIgnoreCase,
    /// The policy value is a wildcard pattern (`*`, `?`) the request value matches.
    Like,
    /// The request value orders before the policy value.
    LessThan,
    /// … before or equal.
    LessThanEquals,
    /// … after.
    GreaterThan,
    /// … after or equal.
    GreaterThanEquals,
}

/// What one row of the table says about an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorSpec {
    /// The name as written in policies (case-sensitive).
    pub name: &'static str,
    /// The type of values compared.
    pub value_type: KeyType,
    pub comparison: Comparison,
    /// Met when the request value relates to **none** of the policy values.
    pub negated: bool,
}

/// Declares the operators from the table below.
macro_rules! operators {
    ($($name:ident: $value_type:ident, $comparison:ident, $negated:literal;)*) => {
        /// A condition operator.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operator {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl Operator {
            /// Every operator, in documentation order.
            pub const ALL: [Operator; [$(stringify!($name)),*].len()] = [$(Operator::$name),*];

            /// The operator's row of the table.
            pub const fn spec(self) -> OperatorSpec {
                match self {
                    $(
                        Operator::$name => OperatorSpec {
                            name: stringify!($name),
                            value_type: KeyType::$value_type,
                            comparison: Comparison::$comparison,
                            negated: $negated,
                        },
                    )*
                }
            }
        }
    };
}

operators! {
    StringEquals: String, Equals, false;
    StringNotEquals: String, Equals, true;
    StringEqualsIgnoreCase: String, EqualsIgnoreCase, false;
    StringNotEqualsIgnoreCase: String, EqualsIgnoreCase, true;
    StringLike: String, Like, false;
    StringNotLike: String, Like, true;
    NumericEquals: Numeric, Equals, false;
    NumericNotEquals: Numeric, Equals, true;
    NumericLessThan: Numeric, LessThan, false;
    NumericLessThanEquals: Numeric, LessThanEquals, false;
    NumericGreaterThan: Numeric, GreaterThan, false;
    NumericGreaterThanEquals: Numeric, GreaterThanEquals, false;
    DateEquals: Date, Equals, false;
    DateNotEquals: Date, Equals, true;
    DateLessThan: Date, LessThan, false;
    DateLessThanEquals: Date, LessThanEquals, false;
    DateGreaterThan: Date, GreaterThan, false;
    DateGreaterThanEquals: Date, GreaterThanEquals, false;
    Bool: Bool, Equals, false;
    IpAddress: Ip, Equals, false;
    NotIpAddress: Ip, Equals, true;
}

impl Operator {
    /// The operator with this exact name (operator names are case-sensitive).
    pub fn parse(name: &str) -> Option<Operator> {
        Operator::ALL
            .into_iter()
            .find(|operator| operator.name() == name)
    }

    /// The operator's name as written in policies.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The type of values the operator compares.
    pub fn value_type(self) -> KeyType {
        self.spec().value_type
    }

    /// How the operator compares a request value with a policy value.
    pub fn comparison(self) -> Comparison {
        self.spec().comparison
    }

    /// Whether the operator is met when the request value equals **none** of the policy values.
    pub fn is_negated(self) -> bool {
        self.spec().negated
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A set qualifier written before an operator (`ForAllValues:StringEquals`). RAM does not
/// document them (Alibaba's own PowerUserAccess-style templates use them); they read with the
/// usual set semantics, described in `docs/semantics.md` and marked \[U\].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// Met when **every** request value matches; met when the key has no value at all.
    ForAllValues,
    /// Met when **any** request value matches; not met when the key has no value.
    ForAnyValue,
}

impl Qualifier {
    /// Every qualifier.
    pub const ALL: [Qualifier; 2] = [Qualifier::ForAllValues, Qualifier::ForAnyValue];

    /// The prefix as written, with its colon.
    pub fn prefix(self) -> &'static str {
        match self {
            Qualifier::ForAllValues => "ForAllValues:",
            Qualifier::ForAnyValue => "ForAnyValue:",
        }
    }

    /// Splits a written operator into its qualifier (if any) and the operator name after it
    /// (prefixes are case-sensitive, as operator names are).
    pub fn split(written: &str) -> (Option<Qualifier>, &str) {
        for qualifier in Qualifier::ALL {
            if let Some(rest) = written.strip_prefix(qualifier.prefix()) {
                return (Some(qualifier), rest);
            }
        }
        (None, written)
    }
}

/// Parses a written operator: an operator name, optionally after a qualifier.
pub fn parse_qualified(written: &str) -> Option<(Option<Qualifier>, Operator)> {
    let (qualifier, name) = Qualifier::split(written);
    Operator::parse(name).map(|operator| (qualifier, operator))
}
