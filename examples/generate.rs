//! Writes N synthetic annual reports (invented text, realistic layouts) into a folder, for
//! benchmarks and for trying `audit` on a large batch:
//!
//! ```sh
//! cargo run --release --example generate -- 1000 /tmp/reports
//! cargo run --release -- audit /tmp/reports
//! ```

mod synth;

use std::io::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate N DIR";
    let count: usize = args.next().ok_or(usage)?.parse()?;
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    std::fs::create_dir_all(&dir)?;
    let mut bytes = 0;
    for index in 0..count {
        let report = synth::report(index);
        bytes += report.text.len();
        std::fs::write(dir.join(&report.name), report.text)?;
    }
    writeln!(
        std::io::stderr(),
        "wrote {count} reports ({} KB) to {}",
        bytes / 1024,
        dir.display()
    )?;
    Ok(())
}
