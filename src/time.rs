//! The date and time forms the library reads besides RFC 3339, as chrono's format items.
//!
//! Each form is the list of items chrono's `strftime` reader makes of its format string (a test
//! checks them equal), so reading a text with them is exactly `parse_from_str(text, format)`,
//! without chrono's `strftime` reader in the WebAssembly module (see `docs/wasm.md`, "Sizes").

use chrono::format::{parse, Fixed, Item, Numeric, Pad, Parsed};
use chrono::{NaiveDate, NaiveDateTime};

const YEAR: Item<'static> = Item::Numeric(Numeric::Year, Pad::Zero);
const MONTH: Item<'static> = Item::Numeric(Numeric::Month, Pad::Zero);
const DAY: Item<'static> = Item::Numeric(Numeric::Day, Pad::Zero);
const HOUR: Item<'static> = Item::Numeric(Numeric::Hour, Pad::Zero);
const MINUTE: Item<'static> = Item::Numeric(Numeric::Minute, Pad::Zero);
const SECOND: Item<'static> = Item::Numeric(Numeric::Second, Pad::Zero);
const DASH: Item<'static> = Item::Literal("-");
const COLON: Item<'static> = Item::Literal(":");
const T: Item<'static> = Item::Literal("T");

/// `%Y-%m-%d`.
const DATE: &[Item<'static>] = &[YEAR, DASH, MONTH, DASH, DAY];
/// `%Y-%m-%dT%H:%M:%S%.f`.
const DATE_TIME_SECONDS: &[Item<'static>] = &[
    YEAR,
    DASH,
    MONTH,
    DASH,
    DAY,
    T,
    HOUR,
    COLON,
    MINUTE,
    COLON,
    SECOND,
    Item::Fixed(Fixed::Nanosecond),
];
/// `%Y-%m-%dT%H:%M`.
const DATE_TIME_MINUTES: &[Item<'static>] = &[YEAR, DASH, MONTH, DASH, DAY, T, HOUR, COLON, MINUTE];

/// A date alone, `%Y-%m-%d` (`2024-01-01`): `NaiveDate::parse_from_str(text, "%Y-%m-%d")`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parsed = Parsed::new();
    parse(&mut parsed, text, DATE.iter()).ok()?;
    parsed.to_naive_date().ok()
}

/// A date and time without an offset, `%Y-%m-%dT%H:%M:%S%.f` or else `%Y-%m-%dT%H:%M`: the first
/// of `NaiveDateTime::parse_from_str(text, format)` that succeeds.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    [DATE_TIME_SECONDS, DATE_TIME_MINUTES]
        .into_iter()
        .find_map(|items| {
            let mut parsed = Parsed::new();
            parse(&mut parsed, text, items.iter()).ok()?;
            parsed.to_naive_datetime_with_offset(0).ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::format::StrftimeItems;

    #[test]
    fn the_items_are_what_strftime_makes_of_the_formats() {
        for (format, items) in [
            ("%Y-%m-%d", DATE),
            ("%Y-%m-%dT%H:%M:%S%.f", DATE_TIME_SECONDS),
            ("%Y-%m-%dT%H:%M", DATE_TIME_MINUTES),
        ] {
            let strftime: Vec<Item<'_>> = StrftimeItems::new(format).collect();
            assert_eq!(strftime, items, "{format}");
        }
    }

    #[test]
    fn reading_equals_parse_from_str() {
        let texts = [
            "2024-01-01",
            "2024-1-1",
            " 2024-01-01",
            "2024-01-01 ",
            "2024-02-30",
            "+2024-01-01",
            "12024-01-01",
            "2024-01-01T00:00",
            "2024-01-01T23:59:60",
            "2024-01-01T12:12:14.123456789",
            "2024-01-01T12:12:14.",
            "2024-01-01T12:12:14Z",
            "2024-01-01T12:12",
            "2024-01-01t12:12",
            "2024-01-01T7:5",
            "2024-01-01T12:12:14.1234567891",
            "",
            "２０２４-01-01",
        ];
        for text in texts {
            assert_eq!(
                parse_date(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text:?}"
            );
            let by_format = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
                .into_iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok());
            assert_eq!(parse_date_time(text), by_format, "{text:?}");
        }
    }
}
