//! The yardstick of `make bench`: read and parse every `.tf` file under a directory with
//! hcl-edit, on one thread, and do nothing else. tfscope's commands are measured against this
//! (issue 11: every command within 0.7x of it). Built only with `--features bench`.
//!
//!     parse-baseline DIR     prints `files bytes blocks` on stdout

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse-baseline DIR");
        return ExitCode::from(2);
    };
    let mut paths: Vec<_> = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "tf"))
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    let (mut bytes, mut blocks) = (0usize, 0usize);
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("parse-baseline: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        bytes += text.len();
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => blocks += body.blocks().count(),
            Err(e) => {
                eprintln!("parse-baseline: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    println!("{} {bytes} {blocks}", paths.len());
    ExitCode::SUCCESS
}
