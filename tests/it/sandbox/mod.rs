//! The sandbox: its HTTP API (`api`, `operation`, over `http`), its command, its webhooks.

mod api;
mod cli;
mod http;
mod operation;
mod webhooks;
