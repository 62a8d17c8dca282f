//! Media (docs/media.md) through the real binary, on zips and folders written here:
//! `media --json` field by field, types from file names and placeholders, the filters,
//! `media save` byte for byte and `0600`, sources that moved, exports without media, and
//! hostile entries (a zip bomb, a name leading out of the folder) refused in bounded memory.

use serde_json::Value;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

use crate::support::bin::BIN;

/// The chat text of the zips below: four named attachments, one left out, one text.
const CHAT: &str = "\
01/06/2025, 09:12 - Marta: IMG-20250601-WA0001.png (file attached)
Sunset
01/06/2025, 09:15 - Tomás: PTT-20250601-WA0002.opus (file attached)
01/06/2025, 09:16 - Marta: Plan.pdf (file attached)
01/06/2025, 09:17 - Tomás: Tomás.vcf (file attached)
01/06/2025, 09:18 - Marta: <Media omitted>
01/06/2025, 09:19 - Tomás: STK-20250601-WA0003.webp (file attached)
01/06/2025, 09:20 - Marta: just text
";

/// A small real PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8 * 40, y as u8 * 40, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

fn opus() -> Vec<u8> {
    b"OggS\0fake voice note".to_vec()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n% a plan\n".repeat(20)
}

fn vcf() -> Vec<u8> {
    "BEGIN:VCARD\r\nFN:Tomás\r\nEND:VCARD\r\n"
        .as_bytes()
        .to_vec()
}

/// Writes a zip of `(name, bytes)` entries, deflated.
fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).expect("create zip"));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, opts).expect("start entry");
        zip.write_all(bytes).expect("write entry");
    }
    zip.finish().expect("finish zip");
}

struct Env {
    tmp: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        let p = self.tmp.path().join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        p
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("WHATSCOPE_DATA_DIR", self.data())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run whatscope")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json")
    }

    /// The family zip with every attachment but the left-out one, imported.
    fn family_zip(&self) -> PathBuf {
        let zip = self.path("exports/WhatsApp Chat with Family.zip");
        let image = png(4, 3);
        write_zip(
            &zip,
            &[
                ("WhatsApp Chat with Family.txt", CHAT.as_bytes()),
                ("IMG-20250601-WA0001.png", &image),
                ("PTT-20250601-WA0002.opus", &opus()),
                ("Plan.pdf", &pdf()),
                ("Tomás.vcf", &vcf()),
                ("STK-20250601-WA0003.webp", b"RIFF\0\0\0\0WEBP"),
            ],
        );
        self.ok(&["import", zip.to_str().expect("utf-8 path")]);
        zip
    }
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().expect("media --json is an array")
}

#[test]
fn media_json_lists_every_attachment_field_by_field() {
    let env = Env::new();
    let zip = env.family_zip();
    let source = fs::canonicalize(&zip).expect("canonical");
    let v = env.json(&["media", "--json"]);
    let list = items(&v);
    assert_eq!(
        list.len(),
        6,
        "five named attachments and one left out: {v}"
    );
    let expect = [
        (
            "2025-06-01T09:12:00",
            "Marta",
            Some("IMG-20250601-WA0001.png"),
            "image",
            Some(png(4, 3).len() as u64),
        ),
        (
            "2025-06-01T09:15:00",
            "Tomás",
            Some("PTT-20250601-WA0002.opus"),
            "voice",
            Some(opus().len() as u64),
        ),
        (
            "2025-06-01T09:16:00",
            "Marta",
            Some("Plan.pdf"),
            "document",
            Some(pdf().len() as u64),
        ),
        (
            "2025-06-01T09:17:00",
            "Tomás",
            Some("Tomás.vcf"),
            "contact",
            Some(vcf().len() as u64),
        ),
        ("2025-06-01T09:18:00", "Marta", None, "other", None),
        (
            "2025-06-01T09:19:00",
            "Tomás",
            Some("STK-20250601-WA0003.webp"),
            "sticker",
            Some(12),
        ),
    ];
    for (item, (ts, sender, attachment, kind, bytes)) in list.iter().zip(expect) {
        let keys: Vec<&str> = item
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut want = vec![
            "id",
            "chat",
            "ts",
            "sender",
            "attachment",
            "type",
            "bytes",
            "available",
            "source",
        ];
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want, "the fields of docs/media.md");
        let id = item["id"].as_str().expect("id");
        assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(item["chat"], "Family");
        assert_eq!(item["ts"], ts);
        assert_eq!(item["sender"], sender);
        assert_eq!(item["attachment"].as_str(), attachment);
        assert_eq!(item["type"], kind);
        assert_eq!(item["bytes"].as_u64(), bytes);
        assert_eq!(item["available"], bytes.is_some());
        assert_eq!(item["source"], source.to_str().expect("utf-8"));
    }
    // The ids are the messages' own: the same as `search` shows.
    let hits = env.json(&["search", "--json", "has:media", "--limit", "100"]);
    let search_ids: Vec<String> = hits["hits"]
        .as_array()
        .or_else(|| hits.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for item in list {
        let id = item["id"].as_str().expect("id").to_string();
        assert!(search_ids.contains(&id), "{id} not among {search_ids:?}");
    }
}

#[test]
fn media_filters_by_chat_participant_and_type() {
    let env = Env::new();
    env.family_zip();
    let other = env.path("exports/WhatsApp Chat with Club.txt");
    fs::write(
        &other,
        "02/06/2025, 10:00 - Marta: IMG-20250602-WA0009.jpg (file attached)\n",
    )
    .expect("write");
    env.ok(&["import", other.to_str().expect("utf-8")]);

    let all = env.json(&["media", "--json"]);
    assert_eq!(items(&all).len(), 7);
    let club = env.json(&["media", "--json", "--chat", "Club"]);
    assert_eq!(items(&club).len(), 1);
    assert_eq!(
        items(&club)[0]["available"],
        false,
        "no such file beside the .txt"
    );
    let marta = env.json(&["media", "--json", "--participant", "marta"]);
    assert_eq!(
        items(&marta).len(),
        4,
        "any case, as from: takes it: {marta}"
    );
    let images = env.json(&["media", "--json", "--type", "image"]);
    assert_eq!(items(&images).len(), 2);
    assert!(items(&images).iter().all(|i| i["type"] == "image"));

    // A merged person is one participant, under any of their names.
    env.ok(&["people", "merge", "Marta", "Tomás", "--as", "Both"]);
    let both = env.json(&["media", "--json", "--participant", "Tomás"]);
    assert_eq!(items(&both).len(), 7, "{both}");

    let unknown = env.run(&["media", "--participant", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(err.starts_with("error: no participant named"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
}

#[test]
fn media_types_come_from_the_placeholder_when_the_export_left_the_file_out() {
    let env = Env::new();
    let txt = env.path("exports/WhatsApp Chat - Trip.txt");
    fs::write(
        &txt,
        "[01/06/2025, 09:00:00] Ana: \u{200E}image omitted\r\n\
         [01/06/2025, 09:01:00] Ben: \u{200E}audio omitted\r\n\
         [01/06/2025, 09:02:00] Ana: \u{200E}sticker omitted\r\n\
         [01/06/2025, 09:03:00] Ben: \u{200E}GIF omitted\r\n\
         [01/06/2025, 09:04:00] Ana: \u{200E}Contact card omitted\r\n\
         [01/06/2025, 09:05:00] Ben: \u{200E}video omitted\r\n",
    )
    .expect("write");
    env.ok(&["import", txt.to_str().expect("utf-8")]);
    let v = env.json(&["media", "--json"]);
    let types: Vec<&str> = items(&v)
        .iter()
        .map(|i| i["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        ["image", "voice", "sticker", "gif", "contact", "video"]
    );
    assert!(items(&v)
        .iter()
        .all(|i| i["available"] == false && i["bytes"].is_null()));
}

#[test]
fn media_save_writes_the_entry_byte_for_byte_and_private() {
    let env = Env::new();
    env.family_zip();
    let v = env.json(&["media", "--json", "--type", "image"]);
    let id = items(&v)[0]["id"].as_str().expect("id").to_string();
    let out = env.path("saved/sunset.png");
    env.ok(&[
        "media",
        "save",
        &id,
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(fs::read(&out).expect("saved"), png(4, 3));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "saved private");
    }
    // Nothing but the file itself is left in its folder (no temp file).
    let names: Vec<_> = fs::read_dir(out.parent().expect("dir"))
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // The left-out one cannot be saved, and leaves no file.
    let omitted = env.json(&["media", "--json", "--type", "other"]);
    let omitted_id = items(&omitted)[0]["id"].as_str().expect("id").to_string();
    let nothing = env.path("saved/nothing");
    let r = env.run(&[
        "media",
        "save",
        &omitted_id,
        "--output",
        nothing.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.starts_with("error: attachment ") && err.contains("not available"),
        "{err}"
    );
    assert!(err.contains("\nhint: "), "{err}");
    assert!(!nothing.exists());

    let bad = env.run(&[
        "media",
        "save",
        "not-an-id",
        "--output",
        nothing.to_str().expect("utf-8"),
    ]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    let missing = env.run(&[
        "media",
        "save",
        "0123456789abcdef",
        "--output",
        nothing.to_str().expect("utf-8"),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: no attachment with id"));
}

#[test]
fn a_moved_source_is_reported_unavailable_with_where_it_was_looked_for() {
    let env = Env::new();
    let zip = env.family_zip();
    let source = fs::canonicalize(&zip).expect("canonical");
    fs::rename(&zip, env.path("elsewhere.zip")).expect("move the export");
    let v = env.json(&["media", "--json"]);
    for item in items(&v) {
        assert_eq!(item["available"], false);
        assert!(item["bytes"].is_null());
        assert_eq!(item["source"], source.to_str().expect("utf-8"));
    }
    let text = env.ok(&["media"]);
    assert!(
        text.contains("is gone (moved or deleted since the import)"),
        "{text}"
    );
    let id = items(&v)[0]["id"].as_str().expect("id").to_string();
    let out = env.path("x.png");
    let r = env.run(&[
        "media",
        "save",
        &id,
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("is gone"));
    assert!(!out.exists());

    // Importing it again from where it is now finds the files again.
    let moved = env.path("elsewhere.zip");
    let renamed = env.path("moved/WhatsApp Chat with Family.zip");
    fs::rename(&moved, &renamed).expect("rename");
    env.ok(&["import", renamed.to_str().expect("utf-8")]);
    let again = env.json(&["media", "--json", "--type", "image"]);
    assert_eq!(items(&again)[0]["available"], true);
}

#[test]
fn a_folder_export_is_read_beside_its_text_and_stdin_records_no_source() {
    let env = Env::new();
    let txt = env.path("unzipped/WhatsApp Chat with Family.txt");
    fs::write(&txt, CHAT).expect("write");
    fs::write(env.path("unzipped/Plan.pdf"), pdf()).expect("write");
    env.ok(&["import", txt.to_str().expect("utf-8")]);
    let v = env.json(&["media", "--json"]);
    let plan = items(&v)
        .iter()
        .find(|i| i["attachment"] == "Plan.pdf")
        .expect("the pdf");
    assert_eq!(plan["available"], true);
    assert_eq!(plan["bytes"], pdf().len() as u64);
    let folder = fs::canonicalize(env.path("unzipped")).expect("canonical");
    assert_eq!(plan["source"], folder.to_str().expect("utf-8"));
    let image = items(&v)
        .iter()
        .find(|i| i["type"] == "image")
        .expect("the image");
    assert_eq!(image["available"], false, "not beside the text");

    let piped = Env::new();
    let mut child = Command::new(BIN)
        .args(["import", "-", "--chat", "Piped"])
        .env("WHATSCOPE_DATA_DIR", piped.data())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(CHAT.as_bytes())
        .expect("pipe");
    assert!(child.wait().expect("wait").success());
    let v = piped.json(&["media", "--json"]);
    assert!(items(&v)
        .iter()
        .all(|i| i["source"].is_null() && i["available"] == false));
}

#[test]
fn purge_removes_the_sources_file_and_it_is_private() {
    let env = Env::new();
    env.family_zip();
    let sources = env.data().join("sources.json");
    assert!(sources.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&sources).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    env.ok(&["purge", "--yes"]);
    assert!(!sources.exists());
}

#[test]
fn the_anonymized_view_masks_senders_and_file_names_and_saves_nothing() {
    let env = Env::new();
    env.family_zip();
    let v = env.json(&["--anonymize", "media", "--json"]);
    let text = v.to_string();
    for name in ["Marta", "Tomás"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    assert!(items(&v).iter().all(|i| i["source"].is_null()));
    let plain = env.json(&["media", "--json"]);
    let id = items(&plain)[0]["id"].as_str().expect("id").to_string();
    let out = env.path("x.png");
    let r = env.run(&[
        "--anonymize",
        "media",
        "save",
        &id,
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert!(!out.exists());
}

/// Runs `whatscope ARGS…` and returns its exit code, stderr and peak resident set (KiB).
#[cfg(target_os = "linux")]
fn with_peak(env: &Env, args: &[&str]) -> (i32, String, u64) {
    let mut command = Command::new(BIN);
    command.args(args).env("WHATSCOPE_DATA_DIR", env.data());
    let run = crate::support::rss::run_measured(command);
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    (run.code, err, run.max_rss_kib.unwrap_or(0))
}

#[cfg(target_os = "linux")]
#[test]
fn a_zip_bomb_attachment_is_refused_in_bounded_memory() {
    // A child's measured peak includes this process's own at spawn: measured alone.
    if !crate::support::alone::this_process(
        module_path!(),
        "a_zip_bomb_attachment_is_refused_in_bounded_memory",
    ) {
        return;
    }
    let env = Env::new();
    let zip = env.path("exports/WhatsApp Chat with Bomb.zip");
    // 256 MiB of zeros: a few hundred KiB compressed, over 1000:1.
    let zeros = vec![0u8; 256 << 20];
    write_zip(
        &zip,
        &[
            (
                "WhatsApp Chat with Bomb.txt",
                b"01/06/2025, 09:12 - Eve: IMG-20250601-WA0001.png (file attached)\n",
            ),
            ("IMG-20250601-WA0001.png", &zeros),
        ],
    );
    drop(zeros);
    env.ok(&["import", zip.to_str().expect("utf-8")]);
    let v = env.json(&["media", "--json"]);
    let id = items(&v)[0]["id"].as_str().expect("id").to_string();
    assert_eq!(
        items(&v)[0]["bytes"],
        256u64 << 20,
        "the declared size, read without inflating"
    );
    let out = env.path("bomb.png");
    let (code, err, peak_kib) = with_peak(
        &env,
        &[
            "media",
            "save",
            &id,
            "--output",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("expands more than 200:1"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert!(!err.contains("panicked"));
    assert!(!out.exists(), "no partial file");
    assert!(peak_kib < 100 << 10, "save peaked at {peak_kib} KiB");
}

#[test]
fn an_entry_named_out_of_the_folder_is_never_read() {
    let env = Env::new();
    let zip = env.path("exports/WhatsApp Chat with Sly.zip");
    write_zip(
        &zip,
        &[
            (
                "WhatsApp Chat with Sly.txt",
                b"01/06/2025, 09:12 - Eve: ../secret.pdf (file attached)\n01/06/2025, 09:13 - Eve: secret.pdf (file attached)\n",
            ),
            ("../secret.pdf", b"%PDF outside"),
        ],
    );
    env.ok(&["import", zip.to_str().expect("utf-8")]);
    let v = env.json(&["media", "--json"]);
    assert!(
        items(&v).iter().all(|i| i["available"] == false),
        "an unsafe entry name is never served: {v}"
    );
}

#[test]
fn stats_count_media_types_overall_and_per_participant() {
    let env = Env::new();
    env.family_zip();
    let s = env.json(&["stats", "--json"]);
    assert_eq!(
        s["media_types"],
        serde_json::json!({"image": 1, "voice": 1, "document": 1, "contact": 1, "other": 1, "sticker": 1})
    );
    let person = |name: &str| {
        s["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["name"] == name)
            .expect("participant")["media_types"]
            .clone()
    };
    assert_eq!(
        person("Marta"),
        serde_json::json!({"image": 1, "document": 1, "other": 1})
    );
    assert_eq!(
        person("Tomás"),
        serde_json::json!({"voice": 1, "contact": 1, "sticker": 1})
    );
    // Narrowed like every other figure: one participant, a query.
    let marta = env.json(&["stats", "--json", "--participant", "Marta"]);
    assert_eq!(
        marta["media_types"],
        serde_json::json!({"image": 1, "document": 1, "other": 1})
    );
    let text = env.ok(&["stats"]);
    assert!(text.contains("\nMedia\n"), "{text}");
    assert!(
        text.contains("Tomás  contact 1 · sticker 1 · voice 1"),
        "{text}"
    );
}
