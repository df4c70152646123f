//! `usher-desktop`: notes the start time, then runs the window ([`usher_desktop::run_app`]).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    usher_desktop::mark_start();
    usher_desktop::run_app()
}
