//! Bytes as UTF-8 through `Playbook::check` and `Playbook::from_yaml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stagegate_fuzz::load_playbook(data));
