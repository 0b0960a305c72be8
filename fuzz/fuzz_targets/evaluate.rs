//! A move selector byte, then a deal in JSON for the bundled playbook, evaluated and moved.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stagegate_fuzz::evaluate(data));
