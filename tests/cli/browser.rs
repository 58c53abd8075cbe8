//! A page in a real browser, for the tests of tfscope's HTML output (the cost report, the
//! graph page): headless Chromium (Debian's, installed by `make tools`) renders a page file to
//! a PNG, decoded here to count pixels of a colour, or dumps its DOM after the page's script ran.

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A page written to a temporary directory, which also holds Chromium's profiles and shots.
pub struct Page {
    dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Page {
    pub fn new(html: &str) -> Page {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, html).unwrap();
        Page { dir, path }
    }

    /// `file://...#fragment`
    fn url(&self, fragment: &str) -> String {
        let mut url = format!("file://{}", self.path.display());
        if !fragment.is_empty() {
            url.push('#');
            url.push_str(fragment);
        }
        url
    }

    /// Headless Chromium with a fresh profile and nothing that reaches the network by itself.
    fn chromium(&self, name: &str) -> Command {
        assert!(
            Path::new(CHROMIUM).exists(),
            "chromium is missing: run `make tools` (or scripts/install-chromium.sh)"
        );
        let mut cmd = Command::new(CHROMIUM);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            self.dir.path().join(format!("profile-{name}")).display()
        ));
        cmd
    }

    /// A screenshot of the page at `url#fragment` in a 1400x900 window.
    pub fn screenshot(&self, fragment: &str) -> Image {
        let name = format!("shot-{}", self.dir.path().read_dir().unwrap().count());
        let shot = self.dir.path().join(format!("{name}.png"));
        let out = self
            .chromium(&name)
            .arg("--window-size=1400,900")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(self.url(fragment))
            .output()
            .unwrap();
        assert!(
            shot.exists(),
            "no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // TFSCOPE_KEEP_SCREENSHOTS=dir keeps a copy to look at.
        if let Some(keep) = std::env::var_os("TFSCOPE_KEEP_SCREENSHOTS") {
            let tag: String = fragment
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let copy = Path::new(&keep).join(format!(
                "page{}{tag}.png",
                if tag.is_empty() { "" } else { "-" }
            ));
            std::fs::copy(&shot, copy).unwrap();
            std::fs::copy(&self.path, Path::new(&keep).join("page.html")).unwrap();
        }
        Image::read(&shot)
    }

    /// The DOM after the page's script ran, as `chromium --dump-dom` serializes it.
    pub fn dump_dom(&self, fragment: &str) -> String {
        let name = format!("dom-{}", self.dir.path().read_dir().unwrap().count());
        let out = self
            .chromium(&name)
            .arg("--dump-dom")
            .arg(self.url(fragment))
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            dom.contains("data-ready=\"1\""),
            "the viewer did not finish: {}\n{dom}",
            String::from_utf8_lossy(&out.stderr)
        );
        dom
    }
}

/// A decoded screenshot.
pub struct Image {
    pub width: u32,
    pub height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Image {
    fn read(path: &Path) -> Image {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let step = info.color_type.samples();
        let rgb = buf[..info.buffer_size()]
            .chunks(step)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Image {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    /// Pixels within a small distance of `colour`.
    pub fn count(&self, colour: [u8; 3]) -> usize {
        self.count_right_of(0, colour)
    }

    /// Pixels within a small distance of `colour` at x >= `left`: in the drawing, with
    /// `left` past a page's side column (the graph page's legend), only what is drawn.
    pub fn count_right_of(&self, left: u32, colour: [u8; 3]) -> usize {
        self.rgb
            .iter()
            .enumerate()
            .filter(|(i, _)| *i as u32 % self.width >= left)
            .filter(|(_, p)| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) < 8))
            .count()
    }
}

/// `#rrggbb` as bytes.
pub fn hex(colour: &str) -> [u8; 3] {
    let v = u32::from_str_radix(colour.trim_start_matches('#'), 16).expect("a #rrggbb colour");
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}
