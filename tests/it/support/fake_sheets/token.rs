//! The fake OAuth side: `/token` accepts a service account's JWT bearer grant (the
//! signature is not checked, but it must be a JWT whose claims ask for exactly the
//! spreadsheets scope, addressed to this endpoint), an installed-app code exchange
//! and a refresh; `/auth` plays the consent page and redirects at once.

use super::api::error;
use super::{SCOPE, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;

fn refused(error: &str, description: &str) -> Response {
    let body = json!({"error": error, "error_description": description});
    (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
}

fn bad(error: &str, description: &str) -> Response {
    let body = json!({"error": error, "error_description": description});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn issue(s: &mut State, refresh: bool) -> Response {
    s.counts.tokens += 1;
    let token = format!("fake-access-{}", s.counts.tokens);
    s.tokens.insert(token.clone());
    let mut body = json!({"access_token": token, "token_type": "Bearer", "expires_in": 3599});
    if refresh {
        let r = format!("fake-refresh-{}", s.counts.tokens);
        s.refresh_tokens.insert(r.clone());
        body["refresh_token"] = json!(r);
    }
    axum::Json(body).into_response()
}

pub(super) fn token(s: &mut State, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    match field("grant_type") {
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            let claims = match jwt_claims(field("assertion")) {
                Some(c) => c,
                None => return bad("invalid_grant", "assertion is not a JWT"),
            };
            if claims["scope"] != SCOPE {
                return bad(
                    "invalid_scope",
                    "the fake only grants the spreadsheets scope",
                );
            }
            if claims["aud"] != format!("{}token", s.base) {
                return bad("invalid_grant", "JWT aud is not this token endpoint");
            }
            if claims["iss"].as_str().is_none_or(str::is_empty) {
                return bad("invalid_grant", "JWT has no iss");
            }
            if s.refuse_tokens {
                return refused("invalid_grant", "Invalid JWT Signature.");
            }
            issue(s, false)
        }
        "authorization_code" => {
            if !client_ok(s, field("client_id"), field("client_secret")) {
                return refused("invalid_client", "Unauthorized");
            }
            match s.codes.remove(field("code")) {
                Some(redirect) if redirect == field("redirect_uri") && !s.refuse_tokens => {
                    issue(s, true)
                }
                _ => refused("invalid_grant", "Bad Request"),
            }
        }
        "refresh_token" => {
            if !client_ok(s, field("client_id"), field("client_secret")) {
                return refused("invalid_client", "Unauthorized");
            }
            if s.refuse_tokens || !s.refresh_tokens.contains(field("refresh_token")) {
                return refused("invalid_grant", "Token has been expired or revoked.");
            }
            issue(s, false)
        }
        other => bad("unsupported_grant_type", &format!("grant_type {other:?}")),
    }
}

fn client_ok(s: &State, id: &str, secret: &str) -> bool {
    s.clients.get(id).is_some_and(|want| want == secret)
}

/// The claims of a JWT (not verified: the fake trusts whoever signed it).
fn jwt_claims(jwt: &str) -> Option<Value> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 || parts[2].is_empty() {
        return None;
    }
    let decode = |p: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    };
    let header = decode(parts[0])?;
    if header["alg"] != "RS256" {
        return None;
    }
    decode(parts[1])
}

/// The consent page: approves at once and sends the browser back with a code.
pub(super) fn auth(s: &mut State, q: &HashMap<String, String>) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    if !s.clients.contains_key(get("client_id")) {
        return error(401, "invalid_client".into(), None);
    }
    if get("scope") != SCOPE || get("response_type") != "code" {
        return error(
            400,
            format!("bad scope {:?} or response_type", get("scope")),
            None,
        );
    }
    let redirect = get("redirect_uri").to_string();
    if !(redirect.starts_with("http://localhost:") || redirect.starts_with("http://127.0.0.1:")) {
        return error(400, "redirect_uri_mismatch".into(), None);
    }
    let code = format!("fake-code-{}", s.codes.len() + s.counts.tokens + 1);
    s.codes.insert(code.clone(), redirect.clone());
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let location = format!("{redirect}{sep}code={code}");
    (StatusCode::FOUND, [("location", location)]).into_response()
}
