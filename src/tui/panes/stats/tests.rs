//! Unit tests of the statistics pane's text charts.

use super::*;

#[test]
fn sparklines() {
    assert_eq!(sparkline(&[0, 1, 8]), " ▁█");
}
