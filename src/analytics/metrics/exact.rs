//! An exact sum of `f64` values: every value added without rounding, rounded once when read, so
//! the sum is the same in any order and however the values are split and merged.
//!
//! Every finite `f64` is a whole multiple of 2^-1074 below 2^1024, so the sum is kept as a whole
//! number of those units: a fixed-width two's complement integer with room for 2^64 values of the
//! largest magnitude. Infinities and NaN (which deal values never are) are kept apart and win, as
//! they do in any `f64` sum.

use std::fmt::Write as _;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// 64-bit limbs: 2098 bits span every finite `f64` in units of 2^-1074, 64 more bits of headroom
/// for the count of values, one for the sign; 36 limbs (2304 bits) hold them.
const LIMBS: usize = 36;

/// The binary exponent of one unit.
const UNIT: i64 = -1074;

/// An exact sum of `f64` values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExactSum {
    /// Two's complement, in units of 2^-1074, least significant limb first.
    limbs: [u64; LIMBS],
    /// The infinities and NaN added, summed as `f64` (whatever their order, the same result).
    special: Option<f64>,
}

impl Default for ExactSum {
    fn default() -> ExactSum {
        ExactSum {
            limbs: [0; LIMBS],
            special: None,
        }
    }
}

impl ExactSum {
    /// Adds `value`, exactly.
    pub(crate) fn add(&mut self, value: f64) {
        if !value.is_finite() {
            self.special = Some(self.special.map_or(value, |s| s + value));
            return;
        }
        let bits = value.to_bits();
        let exponent = (bits >> 52) & 0x7ff;
        let fraction = bits & ((1 << 52) - 1);
        // value = mantissa × 2^shift units.
        let (mantissa, shift) = if exponent == 0 {
            (fraction, 0)
        } else {
            (fraction | 1 << 52, exponent - 1)
        };
        if mantissa == 0 {
            return;
        }
        let limb = (shift / 64) as usize;
        let wide = u128::from(mantissa) << (shift % 64);
        let mut part = [0u64; LIMBS];
        part[limb] = wide as u64;
        part[limb + 1] = (wide >> 64) as u64;
        if bits >> 63 == 1 {
            negate(&mut part);
        }
        add_limbs(&mut self.limbs, &part);
    }

    /// Adds another sum, exactly.
    pub(crate) fn merge(&mut self, other: &ExactSum) {
        add_limbs(&mut self.limbs, &other.limbs);
        if let Some(special) = other.special {
            self.special = Some(self.special.map_or(special, |s| s + special));
        }
    }

    /// The sum, rounded once to the nearest `f64` (ties to even), as IEEE 754 rounds.
    pub(crate) fn value(&self) -> f64 {
        if let Some(special) = self.special {
            return special;
        }
        let (negative, magnitude) = self.magnitude();
        let Some(top) = highest_bit(&magnitude) else {
            return 0.0;
        };
        let value = if top < 53 {
            // Below 2^53 units: exactly representable, as a subnormal or the smallest normals.
            magnitude[0] as f64 * f64::from_bits(1)
        } else {
            let low = top - 52;
            let mut mantissa = bits_at(&magnitude, low);
            let half = bit(&magnitude, low - 1);
            let sticky = any_below(&magnitude, low - 1);
            let mut exponent = low as u64;
            if half && (sticky || mantissa & 1 == 1) {
                mantissa += 1;
                if mantissa == 1 << 53 {
                    mantissa >>= 1;
                    exponent += 1;
                }
            }
            // mantissa × 2^(exponent - 1074) has the biased exponent `exponent + 1`.
            let biased = exponent + 1;
            if biased >= 0x7ff {
                f64::INFINITY
            } else {
                f64::from_bits(biased << 52 | (mantissa & ((1 << 52) - 1)))
            }
        };
        if negative {
            -value
        } else {
            value
        }
    }

    /// The sign, and the absolute value's limbs.
    fn magnitude(&self) -> (bool, [u64; LIMBS]) {
        let mut magnitude = self.limbs;
        let negative = magnitude[LIMBS - 1] >> 63 == 1;
        if negative {
            negate(&mut magnitude);
        }
        (negative, magnitude)
    }

    /// The exact sum as text: `0`, or a hexadecimal float, `[-]0x<odd hex digits>p<±exponent>`
    /// (C's `%a` and Python's `float.fromhex` read it); `inf`, `-inf` or `nan` for those.
    pub(crate) fn to_hex(&self) -> String {
        if let Some(special) = self.special {
            return if special.is_nan() {
                "nan".to_owned()
            } else if special > 0.0 {
                "inf".to_owned()
            } else {
                "-inf".to_owned()
            };
        }
        let (negative, mut magnitude) = self.magnitude();
        let Some(zeros) = lowest_bit(&magnitude) else {
            return "0".to_owned();
        };
        shift_right(&mut magnitude, zeros);
        let mut digits = String::new();
        let mut leading = true;
        for limb in magnitude.iter().rev() {
            if leading {
                if *limb != 0 {
                    let _ = write!(digits, "{limb:x}");
                    leading = false;
                }
            } else {
                let _ = write!(digits, "{limb:016x}");
            }
        }
        let sign = if negative { "-" } else { "" };
        let exponent = zeros as i64 + UNIT;
        format!("{sign}0x{digits}p{exponent:+}")
    }

    /// Reads what [`ExactSum::to_hex`] writes (any hexadecimal float of a whole number of units).
    pub(crate) fn from_hex(text: &str) -> Result<ExactSum, String> {
        let special = match text {
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        };
        if special.is_some() {
            return Ok(ExactSum {
                special,
                ..ExactSum::default()
            });
        }
        if text == "0" {
            return Ok(ExactSum::default());
        }
        let wrong = || {
            format!(
                "`{text}` is not an exact sum (`0`, or a hexadecimal float such as `0x3a981p-1`)"
            )
        };
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.strip_prefix("0x").ok_or_else(wrong)?;
        let (digits, exponent) = rest.split_once('p').ok_or_else(wrong)?;
        let exponent: i64 = exponent.parse().map_err(|_| wrong())?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(wrong());
        }
        let mut magnitude = [0u64; LIMBS];
        for (i, digit) in digits.bytes().rev().enumerate() {
            let value = u64::from((digit as char).to_digit(16).unwrap_or(0));
            if value != 0 {
                let (limb, offset) = (i / 16, (i % 16) * 4);
                if limb >= LIMBS {
                    return Err(format!("`{text}` is beyond any sum of deal values"));
                }
                magnitude[limb] |= value << offset;
            }
        }
        let shift = exponent - UNIT;
        if shift < 0 {
            let dropped = (-shift) as u64;
            if dropped >= (LIMBS * 64) as u64 || any_below(&magnitude, dropped as usize) {
                return Err(format!("`{text}` is finer than any sum of `f64` values"));
            }
            shift_right(&mut magnitude, dropped as usize);
        } else {
            let top = highest_bit(&magnitude).unwrap_or(0) as i64;
            if top + shift >= (LIMBS * 64 - 1) as i64 {
                return Err(format!("`{text}` is beyond any sum of deal values"));
            }
            shift_left(&mut magnitude, shift as usize);
        }
        if negative {
            negate(&mut magnitude);
        }
        Ok(ExactSum {
            limbs: magnitude,
            special: None,
        })
    }
}

impl Serialize for ExactSum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ExactSum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ExactSum, D::Error> {
        let text = String::deserialize(deserializer)?;
        ExactSum::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// `sum += part`, wrapping (two's complement).
fn add_limbs(sum: &mut [u64; LIMBS], part: &[u64; LIMBS]) {
    let mut carry = false;
    for (limb, &add) in sum.iter_mut().zip(part) {
        let (value, first) = limb.overflowing_add(add);
        let (value, second) = value.overflowing_add(u64::from(carry));
        *limb = value;
        carry = first || second;
    }
}

/// `limbs = -limbs` (two's complement).
fn negate(limbs: &mut [u64; LIMBS]) {
    let mut carry = true;
    for limb in limbs.iter_mut() {
        let (value, overflow) = (!*limb).overflowing_add(u64::from(carry));
        *limb = value;
        carry = overflow;
    }
}

fn highest_bit(limbs: &[u64; LIMBS]) -> Option<usize> {
    let top = (0..LIMBS).rev().find(|&i| limbs[i] != 0)?;
    Some(top * 64 + 63 - limbs[top].leading_zeros() as usize)
}

fn lowest_bit(limbs: &[u64; LIMBS]) -> Option<usize> {
    let low = (0..LIMBS).find(|&i| limbs[i] != 0)?;
    Some(low * 64 + limbs[low].trailing_zeros() as usize)
}

fn bit(limbs: &[u64; LIMBS], index: usize) -> bool {
    limbs[index / 64] >> (index % 64) & 1 == 1
}

/// The 53 bits from `low` up.
fn bits_at(limbs: &[u64; LIMBS], low: usize) -> u64 {
    let (limb, offset) = (low / 64, low % 64);
    let next = limbs.get(limb + 1).copied().unwrap_or(0);
    let wide = u128::from(limbs[limb]) | u128::from(next) << 64;
    (wide >> offset) as u64 & ((1 << 53) - 1)
}

/// Whether any bit below `index` is set.
fn any_below(limbs: &[u64; LIMBS], index: usize) -> bool {
    let (limb, offset) = (index / 64, index % 64);
    limbs[..limb.min(LIMBS)].iter().any(|&l| l != 0)
        || (limb < LIMBS && offset > 0 && limbs[limb] & ((1 << offset) - 1) != 0)
}

fn shift_right(limbs: &mut [u64; LIMBS], by: usize) {
    let (whole, offset) = (by / 64, by % 64);
    for i in 0..LIMBS {
        let low = limbs.get(i + whole).copied().unwrap_or(0);
        let high = limbs.get(i + whole + 1).copied().unwrap_or(0);
        limbs[i] = if offset == 0 {
            low
        } else {
            low >> offset | high << (64 - offset)
        };
    }
}

fn shift_left(limbs: &mut [u64; LIMBS], by: usize) {
    let (whole, offset) = (by / 64, by % 64);
    for i in (0..LIMBS).rev() {
        let high = i.checked_sub(whole).map_or(0, |j| limbs[j]);
        let low = i.checked_sub(whole + 1).map_or(0, |j| limbs[j]);
        limbs[i] = if offset == 0 {
            high
        } else {
            high << offset | low >> (64 - offset)
        };
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::ExactSum;

    fn sum(values: &[f64]) -> ExactSum {
        let mut sum = ExactSum::default();
        for &v in values {
            sum.add(v);
        }
        sum
    }

    #[test]
    fn small_sums_are_the_plain_sums() {
        assert_eq!(sum(&[]).value(), 0.0);
        assert_eq!(sum(&[120_000.0, 0.5]).value(), 120_000.5);
        assert_eq!(sum(&[-3.25, 1.0]).value(), -2.25);
        assert_eq!(
            sum(&[f64::MIN_POSITIVE / 4.0]).value(),
            f64::MIN_POSITIVE / 4.0
        );
        assert_eq!(sum(&[f64::MAX, f64::MAX]).value(), f64::INFINITY);
        assert_eq!(sum(&[f64::MAX, f64::MAX, -f64::MAX]).value(), f64::MAX);
        assert!(sum(&[f64::INFINITY, f64::NEG_INFINITY]).value().is_nan());
    }

    #[test]
    fn the_sum_is_exact_where_a_running_sum_is_not() {
        // 0.1 + 0.2 + 0.3 runs to 0.6000000000000001; the exact sum of those three doubles is
        // nearest to 0.6.
        assert_eq!(sum(&[0.1, 0.2, 0.3]).value(), 0.6);
        assert_eq!(sum(&[1e100, 1.0, -1e100]).value(), 1.0);
    }

    #[test]
    fn hex_form() {
        assert_eq!(sum(&[120_000.5]).to_hex(), "0x3a981p-1");
        assert_eq!(sum(&[-8.0]).to_hex(), "-0x1p+3");
        assert_eq!(sum(&[]).to_hex(), "0");
        assert_eq!(sum(&[f64::NEG_INFINITY]).to_hex(), "-inf");
        assert!(ExactSum::from_hex("0x1p-1075").is_err());
        assert!(ExactSum::from_hex("0x1p+2300").is_err());
        assert!(ExactSum::from_hex("12").is_err());
        assert!(ExactSum::from_hex("0xp1").is_err());
        assert_eq!(ExactSum::from_hex("0x8p-4").unwrap(), sum(&[0.5]));
    }

    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            (-1_000_000_000i64..1_000_000_000).prop_map(|c| c as f64 / 100.0),
            any::<i32>().prop_map(f64::from),
        ]
    }

    proptest! {
        #[test]
        fn any_order_and_any_split_give_the_same_sum(
            values in proptest::collection::vec(finite(), 0..40),
            cut in 0usize..40,
        ) {
            let whole = sum(&values);
            let mut reversed: Vec<f64> = values.clone();
            reversed.reverse();
            prop_assert_eq!(&sum(&reversed), &whole);
            let cut = cut.min(values.len());
            let mut merged = sum(&values[cut..]);
            merged.merge(&sum(&values[..cut]));
            prop_assert_eq!(&merged, &whole);
            let back = ExactSum::from_hex(&whole.to_hex()).unwrap();
            prop_assert_eq!(&back, &whole);
            // Two values: the exact sum rounded once is IEEE addition.
            if values.len() >= 2 {
                let pair = sum(&values[..2]).value();
                let plain = values[0] + values[1];
                prop_assert!(pair == plain || (pair.is_nan() && plain.is_nan()), "{} {}", pair, plain);
            }
        }
    }
}
