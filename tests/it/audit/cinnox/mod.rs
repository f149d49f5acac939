//! Audits that involve CINNOX, end to end: the real binary against a CINNOX
//! sandbox on loopback seeded with contacts that break CINNOX's rules and with
//! known duplicate groups, as if typed in the dashboard (`planted`). `audit
//! --cinnox` in every format, with every source of credentials (`stored`); a fix
//! list built from its CSV report, imported by CINNOX ID, and the audit clean
//! again (`fix_list`); a list checked against CINNOX (`against`); and the HTML
//! reports in a real headless browser (`html`).

mod against;
mod fix_list;
mod html;
mod planted;
mod stored;
