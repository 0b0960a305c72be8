//! Means and medians over whole days, in memory that does not grow with the number of deals.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Mean and median of a set of day counts (`null` when the set is empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DayStats {
    /// The mean, in days.
    pub mean: Option<f64>,
    /// The median, in days (the mean of the two middle values for an even count).
    pub median: Option<f64>,
    /// How many values.
    pub count: u64,
}

/// A histogram of whole days: exact mean and median, with one entry per distinct day count.
/// Written as that histogram alone (`{"12": 3}`: three values of 12 days), from which the sum and
/// count are worked out again when read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Days {
    counts: BTreeMap<i64, u64>,
    total: i128,
    count: u64,
}

impl Days {
    pub(crate) fn add(&mut self, days: i64) {
        *self.counts.entry(days).or_insert(0) += 1;
        self.total += i128::from(days);
        self.count += 1;
    }

    /// Adds every value of `other`.
    ///
    /// # Errors
    ///
    /// When a count or the sum would overflow (never for deals; only for a partial made up).
    pub(crate) fn merge(&mut self, other: &Days) -> Result<(), String> {
        for (&days, &count) in &other.counts {
            let kept = self.counts.entry(days).or_insert(0);
            *kept = kept.checked_add(count).ok_or_else(overflow)?;
        }
        self.total = self.total.checked_add(other.total).ok_or_else(overflow)?;
        self.count = self.count.checked_add(other.count).ok_or_else(overflow)?;
        Ok(())
    }

    /// The `rank`-th smallest value (0-based).
    fn nth(&self, rank: u64) -> Option<i64> {
        let mut seen = 0;
        for (&days, &count) in &self.counts {
            seen += count;
            if seen > rank {
                return Some(days);
            }
        }
        None
    }

    pub(crate) fn stats(&self) -> DayStats {
        if self.count == 0 {
            return DayStats::default();
        }
        let middle = self.count / 2;
        let median = if self.count % 2 == 1 {
            self.nth(middle).map(|d| d as f64)
        } else {
            match (self.nth(middle - 1), self.nth(middle)) {
                (Some(a), Some(b)) => Some((a + b) as f64 / 2.0),
                _ => None,
            }
        };
        DayStats {
            mean: Some(round(self.total as f64 / self.count as f64)),
            median,
            count: self.count,
        }
    }
}

fn overflow() -> String {
    "a count of days overflows".to_owned()
}

impl Serialize for Days {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.counts.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Days, D::Error> {
        let read = BTreeMap::<i64, u64>::deserialize(deserializer)?;
        let mut days = Days::default();
        for (value, count) in read.into_iter().filter(|(_, count)| *count > 0) {
            let mut one = Days::default();
            one.counts.insert(value, count);
            one.total = i128::from(value) * i128::from(count);
            one.count = count;
            days.merge(&one).map_err(serde::de::Error::custom)?;
        }
        Ok(days)
    }
}

/// Rounds to two decimals, so figures read and compare well.
pub(crate) fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// `part / whole`, or `None` when `whole` is 0.
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let mut days = Days::default();
        for d in [5, 1, 9] {
            days.add(d);
        }
        assert_eq!(days.stats().median, Some(5.0));
        days.add(7);
        let stats = days.stats();
        assert_eq!(
            (stats.mean, stats.median, stats.count),
            (Some(5.5), Some(6.0), 4)
        );
        assert_eq!(Days::default().stats().median, None);
    }
}
