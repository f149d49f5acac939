//! The sandbox: its HTTP API, its command, its webhooks.

mod api;
mod cli;
mod webhooks;
