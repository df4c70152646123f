fn main() {
    // tauri.conf.json is where the bundle's copyright and short description are set, once;
    // Tauri's generated context leaves them out of the app, so the About line gets them here.
    let conf = std::fs::read_to_string("tauri.conf.json").expect("tauri.conf.json is readable");
    let conf: serde_json::Value =
        serde_json::from_str(&conf).expect("tauri.conf.json is JSON (tauri-build checks it too)");
    for (key, var) in [
        ("copyright", "USHER_COPYRIGHT"),
        ("shortDescription", "USHER_DESCRIPTION"),
    ] {
        let value = conf["bundle"][key].as_str().unwrap_or_default();
        println!("cargo:rustc-env={var}={value}");
    }
    println!("cargo:rerun-if-changed=tauri.conf.json");
    tauri_build::build()
}
