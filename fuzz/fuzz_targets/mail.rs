#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| serva_domain::fuzz::mail(data));
