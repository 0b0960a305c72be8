//! Looking up a playbook's ids (fields, stages, activities, scorecards) by name. Every deal checked
//! looks up each of its fields, stages and activities, so the hash is a fast one (rustc's "Fx"
//! hash) rather than the default SipHash: the table's keys are the playbook's own ids, so a deal
//! cannot make them collide.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Ids by name, to their index in the playbook.
pub(crate) type IdIndex = HashMap<String, usize, BuildHasherDefault<IdHasher>>;

/// The Fx hash: a multiply and a rotate per eight bytes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::IdIndex;

    #[test]
    fn finds_every_id_and_no_other() {
        let ids: IdIndex = [
            "a",
            "qualification",
            "needs_analysis",
            "needs_analysiS",
            "가나다",
        ]
        .iter()
        .enumerate()
        .map(|(i, id)| ((*id).to_owned(), i))
        .collect();
        assert_eq!(ids.get("needs_analysis"), Some(&2));
        assert_eq!(ids.get("needs_analysiS"), Some(&3));
        assert_eq!(ids.get("가나다"), Some(&4));
        assert_eq!(ids.get("needs_analysi"), None);
        assert_eq!(ids.get(""), None);
    }
}
