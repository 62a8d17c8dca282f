//! The proptest configuration of the property tests: `cases` cases unless `PROPTEST_CASES`
//! asks for more (a longer hunt), and no regression files (failures print their input).

use proptest::test_runner::Config as ProptestConfig;

/// `cases` cases, or `PROPTEST_CASES` when set (for a longer hunt).
pub fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
