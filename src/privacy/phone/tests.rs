//! Unit tests of phone-number and e-mail finding and masking.

use super::*;

fn masked(s: &str) -> String {
    mask_phones(s, "#")
}

#[test]
fn international_numbers() {
    for (input, want) in [
        ("+44 7700 900123", "#"),
        ("call +44 7700 900123 now", "call # now"),
        ("+1\u{A0}(555)\u{A0}010\u{2011}4477", "#"),
        (
            "\u{202A}+1\u{A0}(555)\u{A0}010\u{2011}4477\u{202C}: hi",
            "\u{202A}#\u{202C}: hi",
        ),
        ("+55 11 98765-4321", "#"),
        ("+49 1512 3456789", "#"),
        ("+4915123456789", "#"),
        ("\u{202A}+49 1512 3456789\u{202C}", "\u{202A}#\u{202C}"),
        ("0049 151 23456789", "#"),
        ("+91 98765 43210", "#"),
        ("+33 6 12 34 56 78", "#"),
        ("tel:+4915123456789", "tel:#"),
        ("https://wa.me/4915123456789", "https://wa.me/#"),
        ("@4915123456789 look", "@# look"),
        ("＋４９ １５１ ２３４５６７８９", "#"),
    ] {
        assert_eq!(masked(input), want, "{input:?}");
    }
}

#[test]
fn national_numbers() {
    for (input, want) in [
        ("0151 23456789", "#"),
        ("(030) 123 4567", "#"),
        ("030/1234567", "#"),
        ("07700 900123", "#"),
        ("06 12 34 56 78", "#"),
        ("06-12345678", "#"),
        ("(11) 98765-4321", "#"),
        ("555-010-4477", "#"),
        ("555.010.4477", "#"),
        ("call 555-0123 please", "call # please"),
        ("1 800 555 0199", "#"),
        ("0151\u{200B}23456789", "#"),
        ("٠١٥١٢٣٤٥٦٧٨٩", "#"),
        ("my number: 07700900123.", "my number: #."),
        ("(0151 23456789)", "(#)"),
    ] {
        assert_eq!(masked(input), want, "{input:?}");
    }
}

#[test]
fn dates_times_prices_and_others_are_left() {
    for input in [
        "14/03/2023, 09:12",
        "14/03/2023 09:12",
        "2023-03-14",
        "14.03.2023",
        "3/14/24",
        "at 09:12:33",
        "1.299,00 €",
        "€ 1 299 000",
        "R$ 1.299,00",
        "$1,299.00",
        "USD 12345678",
        "costs 12345678 €",
        "3.14159265",
        "53.068500,-4.076200",
        "https://maps.google.com/?q=53.068500,-4.076200",
        "192.168.100.200",
        "2019-2023",
        "2022 2023 2024",
        "IMG-20230314-WA0001.jpg",
        "00000012-PHOTO-2024-08-14-21-05-12.jpg",
        "1 299 000 people",
        "12.345.678",
        "v1.2.3",
        "2L water",
        "the 25th",
        "Meet here at 8",
        "room 12, 14 and 16",
        "ABC12345678",
        "99%",
        "12345678%",
    ] {
        assert_eq!(masked(input), input, "{input:?}");
    }
}

#[test]
fn a_date_next_to_a_number_is_split_off() {
    assert_eq!(masked("14.03.2023 0151 23456789"), "14.03.2023 #");
    assert_eq!(masked("0151 23456789 14.03.2023"), "# 14.03.2023");
    assert_eq!(masked("09:12 0151 23456789"), "09:12 #");
}

#[test]
fn overlong_and_hostile_inputs_do_not_panic() {
    let digits = "1".repeat(1 << 20);
    assert_eq!(masked(&digits), digits);
    let spaced = "1 ".repeat(1 << 18);
    let _ = masked(&spaced);
    let parens = "(".repeat(10_000) + "1" + &")".repeat(10_000);
    let _ = masked(&parens);
    let _ = masked(";phone-context=");
    let _ = masked("+dwPAA;phone-context=AA");
    let _ = masked("+");
    let _ = masked("(");
    let _ = masked("+(");
    let _ = masked("+ 1");
}

#[test]
fn idempotent() {
    for s in ["+44 7700 900123 and 0151 23456789", "a 555-0123 b"] {
        let once = mask_phones(s, "[phone]");
        assert_eq!(mask_phones(&once, "[phone]"), once);
    }
}
