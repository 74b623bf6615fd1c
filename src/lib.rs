//! archboard: a desktop whiteboard for system-design interviews.
//!
//! The library holds everything but process start-up, so tests reach all of it. `model` and
//! `persistence` never touch a UI type: they work headless, in the CLI and in tests.

pub mod app;
pub mod canvas;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod collab;
pub mod command;
pub mod export;
pub mod interchange;
pub mod lens;
pub mod model;
pub mod palette;
pub mod persistence;
pub mod platform;
pub mod practice;
pub mod review;
pub mod text;
pub mod theme;
pub mod timer;
