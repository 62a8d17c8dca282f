//! `o` in the TUI (docs/media.md, "In the TUI") through the real binary in tmux: an image
//! shown in half blocks, a document handed to `$WHATSCOPE_OPENER` from a private copy that is
//! gone after quit, stale copies of a dead run removed at start, hostile images refused on
//! the status line in bounded memory, and nothing opened in the anonymized view.

use crate::support::bin::BIN;
use crate::support::tmux::{have_tmux, Tmux};
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use zip::write::SimpleFileOptions;

const HALF_BLOCKS: [char; 2] = ['▀', '▄'];

/// A PNG of horizontal stripes (half blocks need two colours in a cell to show `▀`).
fn striped_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if y % 4 < 2 {
            image::Rgb([230, (x * 4) as u8, 20])
        } else {
            image::Rgb([20, 40, 230])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// A PNG whose header claims 100 000 × 100 000 pixels (40 GB of RGBA if anything believed
/// it), with a little pixel data after it.
fn bomb_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, &ihdr);
    let mut idat = b"IDAT".to_vec();
    idat.extend_from_slice(&[0x78, 0x9c]);
    idat.extend_from_slice(&[0u8; 1024]);
    chunk(&mut png, &idat);
    chunk(&mut png, b"IEND");
    png
}

/// Appends a chunk (`typed`: its type then its data) with its length and CRC.
fn chunk(png: &mut Vec<u8>, typed: &[u8]) {
    png.extend_from_slice(&(typed.len() as u32 - 4).to_be_bytes());
    png.extend_from_slice(typed);
    png.extend_from_slice(&crc32fast::hash(typed).to_be_bytes());
}

const PDF: &[u8] = b"%PDF-1.4\n% the plan for Saturday\n%%EOF\n";

/// Writes an export zip of the chat text `lines` and the `(name, bytes)` attachments, and
/// imports it into `data`.
fn import_zip(work: &Path, data: &Path, lines: &str, entries: &[(&str, &[u8])]) {
    let zip_path = work.join("WhatsApp Chat with Tea Club.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&zip_path).expect("create zip"));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("WhatsApp Chat with Tea Club.txt", opts)
        .expect("entry");
    zip.write_all(lines.as_bytes()).expect("write");
    for (name, bytes) in entries {
        zip.start_file(*name, opts).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish zip");
    let out = Command::new(BIN)
        .env("HOME", work)
        .arg("--data-dir")
        .arg(data)
        .arg("import")
        .arg(&zip_path)
        .output()
        .expect("run whatscope");
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The chat's text: the attachments named, the last one selected when the chat opens.
fn chat(attachments: &[&str]) -> String {
    let mut text = "02/05/2024, 10:00 - Maya Lopez: look at this\n".to_string();
    for (i, name) in attachments.iter().enumerate() {
        text.push_str(&format!(
            "02/05/2024, 10:{:02} - Jonas Becker: {name} (file attached)\n",
            i + 1
        ));
    }
    text
}

/// Starts the TUI on `data` with `env` (`NAME='value'` words) and opens the chat in the
/// conversation pane, its last message selected.
fn open_chat(data: &Path, env: &str) -> Tmux {
    let t = Tmux::start(&format!(
        "env {env} \"$WS\" --data-dir '{}' tui; echo EXITED $?; sleep 60",
        data.display()
    ));
    t.wait_for("Tea Club");
    t.keys(&["Enter"]);
    t.wait("the conversation", |s| s.contains("look at this"));
    t.keys(&["2"]);
    t
}

/// The footer (the status line is the last row).
fn status(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

fn has_half_blocks(s: &str) -> bool {
    s.contains(HALF_BLOCKS)
}

#[test]
fn o_on_an_image_shows_it_in_half_blocks_and_esc_closes_it() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("archive");
    let name = "IMG-20240502-WA0001.png";
    import_zip(
        work.path(),
        &data,
        &chat(&[name]),
        &[(name, &striped_png(48, 48))],
    );
    let t = open_chat(&data, "");
    let before = t.wait("the image's mark", |s| s.contains("[image · IMG-20240502"));
    assert!(!has_half_blocks(&before), "half blocks before o:\n{before}");
    t.keys(&["o"]);
    // Waited for whole: a capture may catch a frame half-written.
    let shown = t.wait("the image in half blocks over the chat", |s| {
        has_half_blocks(s) && s.contains("Esc closes") && !s.contains("look at this")
    });
    // The half blocks are inside the popup: below its title row, which names the file.
    let rows: Vec<&str> = shown.lines().collect();
    let title = rows
        .iter()
        .position(|r| r.contains(name) && r.contains("Esc closes"))
        .unwrap_or_else(|| panic!("no popup title:\n{shown}"));
    let first_block = rows
        .iter()
        .position(|r| has_half_blocks(r))
        .expect("a row of half blocks");
    assert!(first_block > title, "{shown}");
    // A resize fits it again: still half blocks, still in the popup.
    t.resize(90, 30);
    t.wait("the image after a resize", |s| {
        has_half_blocks(s) && s.lines().count() <= 30
    });
    t.keys(&["Escape"]);
    let closed = t.wait("the conversation again", |s| s.contains("look at this"));
    assert!(!has_half_blocks(&closed), "{closed}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
}

/// A shell script for `$WHATSCOPE_OPENER`: records the path it got, the modes of the file
/// and its folder, and whether the bytes are the zip entry's (`$EXPECTED`), into `$RECORD`.
fn opener_script(dir: &Path) -> PathBuf {
    let path = dir.join("opener.sh");
    fs::write(
        &path,
        r#"#!/bin/sh
f="$1"
{
  echo "args=$#"
  echo "path=$f"
  echo "file=$(stat -c %a "$f")"
  echo "folder=$(stat -c %a "$(dirname "$f")")"
  if cmp -s "$f" "$EXPECTED"; then echo "same=yes"; else echo "same=no"; fi
} > "$RECORD.tmp"
mv "$RECORD.tmp" "$RECORD"
"#,
    )
    .expect("write opener");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

/// The `key=value` lines of the opener's record.
fn record(path: &Path) -> std::collections::HashMap<String, String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A process id that names no process: a child that ran and was reaped.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("spawn true");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

#[test]
fn o_on_a_document_hands_a_private_copy_to_the_opener_and_quit_removes_it() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("archive");
    let temp = work.path().join("tmp");
    fs::create_dir(&temp).expect("mkdir tmp");
    let name = "Plan for Saturday.pdf";
    import_zip(work.path(), &data, &chat(&[name]), &[(name, PDF)]);
    let expected = work.path().join("expected.pdf");
    fs::write(&expected, PDF).expect("write expected");
    // What a crashed run left, and what a running one holds.
    let stale = temp.join(format!("whatscope-open-{}-00000000deadbeef", dead_pid()));
    let live = temp.join(format!(
        "whatscope-open-{}-00000000cafef00d",
        std::process::id()
    ));
    for dir in [&stale, &live] {
        fs::create_dir_all(dir.join("1")).expect("mkdir");
        fs::write(dir.join("1/old.pdf"), PDF).expect("write");
    }
    let rec = work.path().join("record");
    let env = format!(
        "TMPDIR='{}' WHATSCOPE_OPENER='{}' RECORD='{}' EXPECTED='{}'",
        temp.display(),
        opener_script(work.path()).display(),
        rec.display(),
        expected.display()
    );
    let t = open_chat(&data, &env);
    assert!(!stale.exists(), "the dead run's copies are still there");
    assert!(live.exists(), "a live process's copies were removed");
    t.wait("the document's mark", |s| s.contains("[document · Plan"));
    t.keys(&["o"]);
    let screen = t.wait("the opener's status", |s| {
        s.contains("opened Plan for Saturday.pdf with")
    });
    let started = std::time::Instant::now();
    while !rec.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let got = record(&rec);
    assert_eq!(
        got.get("args").map(String::as_str),
        Some("1"),
        "{got:?}\n{screen}"
    );
    assert_eq!(got.get("file").map(String::as_str), Some("600"), "{got:?}");
    assert_eq!(
        got.get("folder").map(String::as_str),
        Some("700"),
        "{got:?}"
    );
    assert_eq!(got.get("same").map(String::as_str), Some("yes"), "{got:?}");
    let copy = PathBuf::from(got.get("path").expect("path"));
    assert_eq!(copy.file_name().and_then(|n| n.to_str()), Some(name));
    let process_folder = copy
        .parent()
        .and_then(Path::parent)
        .expect("the process folder")
        .to_path_buf();
    assert_eq!(process_folder.parent(), Some(temp.as_path()), "{copy:?}");
    assert_eq!(crate::support::files::mode(&process_folder), 0o700);
    assert!(copy.exists());
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    assert!(!copy.exists(), "the copy outlived the TUI");
    assert!(
        !process_folder.exists(),
        "the copies' folder outlived the TUI"
    );
    assert!(
        live.exists(),
        "another process's copies were removed on quit"
    );
}

/// The `whatscope` child of the tmux pane's shell.
fn tui_pid(t: &Tmux) -> u32 {
    let shell: u32 = t.pane("#{pane_pid}").parse().expect("pane pid");
    let dir = fs::read_dir("/proc").expect("read /proc");
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            ppid == Some(shell) && stat.contains("(whatscope)")
        })
        .expect("the TUI's process")
}

#[test]
fn a_bomb_and_a_corrupt_image_are_refused_on_the_status_line_in_bounded_memory() {
    if !have_tmux() || !cfg!(target_os = "linux") {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("archive");
    let corrupt = "IMG-20240502-WA0001.png";
    let bomb = "IMG-20240502-WA0002.png";
    let mut damaged = striped_png(16, 16);
    let cut = damaged.len() / 2;
    damaged.truncate(cut);
    import_zip(
        work.path(),
        &data,
        &chat(&[corrupt, bomb]),
        &[(corrupt, &damaged), (bomb, &bomb_png())],
    );
    let t = open_chat(&data, "");
    t.wait("the bomb's mark", |s| s.contains("WA0002.png"));
    t.keys(&["o"]);
    let screen = t.wait("the bomb refused", |s| s.contains("100000×100000 pixels"));
    assert!(
        status(&screen).contains("cannot be shown: it is 100000×100000 pixels, over the 50"),
        "{screen}"
    );
    t.keys(&["k"]);
    t.keys(&["o"]);
    let screen = t.wait("the corrupt image refused", |s| s.contains("it is damaged"));
    assert!(!has_half_blocks(&screen), "{screen}");
    let peak = crate::support::rss::peak_kib(tui_pid(&t));
    assert!(peak < 150 * 1024, "the TUI peaked at {peak} KiB");
    // Still running, and quits cleanly.
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
}

#[test]
fn the_anonymized_view_opens_no_attachment() {
    if !have_tmux() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("archive");
    let name = "Plan for Saturday.pdf";
    import_zip(work.path(), &data, &chat(&[name]), &[(name, PDF)]);
    let rec = work.path().join("record");
    let env = format!(
        "WHATSCOPE_OPENER='{}' RECORD='{}' EXPECTED=/dev/null",
        opener_script(work.path()).display(),
        rec.display()
    );
    let t = open_chat(&data, &env);
    t.keys(&["a"]);
    t.wait("the anonymized view", |s| !s.contains("Jonas Becker"));
    t.keys(&["o"]);
    t.wait_for("attachments do not open in the anonymized view");
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    assert!(!rec.exists(), "the opener ran in the anonymized view");
}
