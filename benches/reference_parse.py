"""A bare Python regex parse of a folder of WhatsApp exports: the reference the scale
benchmark (benches/scale.rs) measures whatscope's import against, as the tools people use
parse (one header regex, each message's date, time, author and text). Prints the number of
messages found.

Usage: python3 benches/reference_parse.py FOLDER
"""

import os
import re
import sys

# One header regex for the shapes the generated exports use: Android `d/M/yy, HH:mm - `,
# iOS `[dd/MM/yyyy, HH:mm:ss] `, dots or dashes between the date's parts, 12-hour periods,
# iOS's invisible marks and Arabic digits (Python's \d is Unicode).
HEADER = re.compile(
    r"^[\u200e\u200f]?\[?([\d\u200f]{1,4}[./-][\d\u200f]{1,2}[./-][\d\u200f]{1,4})[,\u060c]? "
    r"(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)[^\]\n]{0,8}?(?:\] | - |: )(?:([^:\n]{1,60}): )?",
    re.M,
)


def parse(text):
    """Every message of one export as (date, time, author, text)."""
    messages = []
    matches = list(HEADER.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        messages.append((m.group(1), m.group(2), m.group(3), text[m.end():end]))
    return messages


def main():
    total = 0
    for root, _dirs, files in os.walk(sys.argv[1]):
        for name in sorted(files):
            if name.endswith(".txt"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    total += len(parse(f.read()))
    print(total)


if __name__ == "__main__":
    main()
