//! Writes the benchmark corpus: `palisade-corpus DIR [MEGABYTES] [MIN_OBJECTS]`.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench-out".into()));
    let megabytes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(35);
    let min_objects: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4000);
    let files = palisade_test::corpus::generate(megabytes * 1_000_000, min_objects);
    let mut bytes = 0;
    let mut objects = 0;
    for file in &files {
        let path = dir.join(&file.name);
        std::fs::create_dir_all(path.parent().expect("corpus files live in directories"))?;
        std::fs::write(&path, &file.content)?;
        bytes += file.content.len();
        objects += file.objects;
    }
    #[allow(clippy::print_stdout)]
    {
        println!(
            "{} files, {objects} objects, {bytes} bytes in {}",
            files.len(),
            dir.display()
        );
    }
    Ok(())
}
