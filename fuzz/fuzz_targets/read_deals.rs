//! Bytes through `DealReader`, every deal or error checked; the reader must stop.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stagegate_fuzz::read_deals(data));
