//! Publishing playbooks (`POST /playbooks/reload` with `files`), all or nothing: odd file names
//! are refused with a clear message before anything is written; in the playbooks directory
//! (SQLite), a publish whose second file cannot be written leaves the first one as it was and
//! answers an error in the contract's shape.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

fn started(name: &str) -> (std::path::PathBuf, Service) {
    let dir = workspace(name);
    let admin = add_user(&dir, "ada", &["admin"], None);
    let mut service = Service::start(&dir, &[]);
    service.token = admin;
    (dir, service)
}

fn publish(service: &Service, files: Value) -> (u16, Value) {
    service.call("POST", "/playbooks/reload", Some(json!({ "files": files })))
}

#[test]
fn odd_file_names_are_refused_with_a_clear_message() {
    let (dir, service) = started("publish-names");
    let long = format!("{}.yaml", "a".repeat(300));
    let cases = [
        ("nul\u{0}.yaml", "control character"),
        (long.as_str(), "too long"),
        ("../escape.yaml", "plain file name"),
        ("sub/inner.yaml", "plain file name"),
        ("back\\slash.yaml", "plain file name"),
        ("..", "plain file name"),
        ("two..dots.yaml", "plain file name"),
        (".hidden.yaml", "plain file name"),
        ("notes.txt", "does not end in .yaml"),
        ("", "does not end in .yaml"),
    ];
    for (name, reason) in cases {
        let (status, refused) = publish(&service, json!({ name: BUNDLED }));
        assert_eq!(status, 400, "{name:?}: {refused}");
        assert_eq!(refused["error"], "request", "{refused}");
        let message = refused["message"].as_str().unwrap();
        assert!(message.contains(reason), "{name:?}: {message}");
        assert!(message.contains("b2b-sales.yaml"), "an example: {message}");
        assert!(!message.contains('\u{0}'), "the NUL byte is shown escaped");
        assert!(message.len() < 300, "a long name is shortened: {message}");
    }
    let (_, served) = service.call("GET", "/playbooks", None);
    assert_eq!(served["playbooks"], json!(["b2b-sales@1"]));
    let names: Vec<String> = std::fs::read_dir(dir.join("playbooks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["b2b-sales.yaml"], "nothing written");
}

#[test]
fn a_publish_whose_second_file_cannot_be_written_changes_nothing() {
    if support::postgres_server().is_some() {
        // With PostgreSQL a publish is one transaction of the store (postgres_instances.rs).
        return;
    }
    let (dir, service) = started("publish-fails");
    let edited = format!("{BUNDLED}\n# edited\n");
    let next = BUNDLED.replacen("version: 1", "version: 2", 1);
    // The second file's name is taken by a directory; then its temporary name is.
    for blocked in ["z-next.yaml", ".z-next.yaml.publishing"] {
        std::fs::create_dir(dir.join("playbooks").join(blocked)).unwrap();
        let (status, failed) = publish(
            &service,
            json!({ "b2b-sales.yaml": edited, "z-next.yaml": next }),
        );
        assert_eq!(status, 503, "{failed}");
        assert_eq!(
            (&failed["error"], &failed["code"]),
            (&json!("unavailable"), &json!("not-published")),
            "{failed}"
        );
        let message = failed["message"].as_str().unwrap();
        assert!(
            message.contains("`z-next.yaml`") && message.contains("no file was changed"),
            "{message}"
        );
        assert_eq!(failed["playbooks"], json!(["b2b-sales@1"]));
        assert_eq!(
            std::fs::read_to_string(dir.join("playbooks/b2b-sales.yaml")).unwrap(),
            BUNDLED,
            "the first file is untouched"
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.join("playbooks"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = ["b2b-sales.yaml", blocked];
        expected.sort_unstable();
        assert_eq!(left, expected, "no temporary file is left");
        std::fs::remove_dir(dir.join("playbooks").join(blocked)).unwrap();
    }
    // Unblocked: both are written and served.
    let (status, published) = publish(
        &service,
        json!({ "b2b-sales.yaml": edited, "z-next.yaml": next }),
    );
    assert_eq!(status, 200, "{published}");
    assert_eq!(
        published["playbooks"],
        json!(["b2b-sales@1", "b2b-sales@2"])
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("playbooks/b2b-sales.yaml")).unwrap(),
        edited
    );
}
