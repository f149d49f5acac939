//! Audits that involve CINNOX, end to end: the real binary against a CINNOX
//! sandbox on loopback seeded with contacts that break CINNOX's rules and with
//! known duplicate groups, as if typed in the dashboard (`planted`). `audit
//! --cinnox` in every format, with every source of credentials (`cinnox`); a fix
//! list built from its CSV report, imported by CINNOX ID, and the audit clean
//! again (`fix_list`); a list checked against CINNOX (`against`); and the HTML
//! reports in a real headless browser (`html`). One test binary, to link once.

#[path = "support/mod.rs"]
mod support;
#[path = "sync_support/mod.rs"]
mod sync_support;

#[path = "audit_cinnox/against.rs"]
mod against;
#[path = "audit_cinnox/cinnox.rs"]
mod cinnox;
#[path = "audit_cinnox/fix_list.rs"]
mod fix_list;
#[path = "audit_cinnox/html.rs"]
mod html;
#[path = "audit_cinnox/planted.rs"]
mod planted;
