//! The Google Sheets options every command that names a list shares (clap), and
//! the list they and a FILE argument name, for `job::list` to resolve. What the
//! options mean is `sources::sheets::SheetOverrides`'s.

use crate::job::ListChoice;
use crate::sources::sheets::SheetOverrides;
use clap::Args;
use std::path::{Path, PathBuf};

/// The Google Sheets options of `audit`, `import`, `plan` and `sync`.
#[derive(Debug, Clone, Default, Args)]
pub struct SheetArgs {
    /// Use a tab of a Google Sheet as the list: SPREADSHEET_ID/TAB. The id is the
    /// part of the sheet's address between /d/ and /edit; everything after the
    /// first / is the tab name, exactly as shown (spaces, CJK, #, / and ! are fine).
    #[arg(
        long,
        value_name = "SPREADSHEET_ID/TAB",
        help_heading = "Google Sheets"
    )]
    pub sheet: Option<String>,
    /// The sheet row holding the column names; rows above it are ignored
    /// [default: 1, or the job's header_row].
    #[arg(long, value_name = "ROW", help_heading = "Google Sheets")]
    pub header_row: Option<usize>,
    /// A service-account key (JSON) to act as; share the sheet with the account's
    /// e-mail [default: the job's, else $GOOGLE_APPLICATION_CREDENTIALS].
    #[arg(long, value_name = "KEY.json", help_heading = "Google Sheets")]
    pub credentials: Option<PathBuf>,
    /// Sign in as a person instead (installed-app flow): the OAuth client JSON of
    /// a "Desktop app" client. The first run prints an address to open in a browser.
    #[arg(
        long,
        value_name = "CLIENT_SECRET.json",
        conflicts_with = "credentials",
        help_heading = "Google Sheets"
    )]
    pub client_secret: Option<PathBuf>,
    /// Where the sign-in is kept between runs, readable by you only (mode 0600)
    /// [default: $XDG_CONFIG_HOME/cinnox-sync/google-token.json or
    /// ~/.config/cinnox-sync/google-token.json].
    #[arg(long, value_name = "FILE", help_heading = "Google Sheets")]
    pub token_cache: Option<PathBuf>,
    /// The local port the browser returns to after signing in [default: any free one].
    #[arg(long, value_name = "PORT", help_heading = "Google Sheets")]
    pub redirect_port: Option<u16>,
}

impl SheetArgs {
    pub fn overrides(&self) -> SheetOverrides {
        SheetOverrides {
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            credentials: self.credentials.clone(),
            client_secret: self.client_secret.clone(),
            token_cache: self.token_cache.clone(),
            redirect_port: self.redirect_port,
        }
    }

    /// The list named by a FILE argument (if any) and these options.
    pub fn choice(&self, file: Option<&Path>) -> ListChoice {
        ListChoice {
            file: file.map(Path::to_path_buf),
            sheet: self.overrides(),
            tab: None,
        }
    }
}
