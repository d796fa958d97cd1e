#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| serva_domain::fuzz::form_input(data));
