//! deploy/kubernetes, parsed as YAML: a Deployment of one serve (Recreate, the
//! state on a PersistentVolumeClaim, the token from the Secret, liveness on
//! /healthz and readiness on /readyz at serve's port, non-root) with a Service; a
//! CronJob of plain sync (concurrencyPolicy Forbid) with its own volume; the job
//! file in a ConfigMap, loaded by the real job loader at its mount path; and the
//! Secret holding every key they read. Both log JSON lines for the cluster's
//! log collector.

use super::{JOB_PATH, STATE_DIR, job_files, job_on_volume, parse_cli, read};
use cinnox_sync::cli::Command;
use cinnox_sync::cli::logging::LogFormat;
use serde::Deserialize;
use serde_yaml_ng::Value;

fn docs(path: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(&read(path))
        .map(|d| Value::deserialize(d).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

fn all() -> Vec<Value> {
    ["serve", "sync-cronjob", "job", "secret"]
        .iter()
        .flat_map(|f| docs(&format!("deploy/kubernetes/{f}.yaml")))
        .collect()
}

fn kind<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|d| d["kind"] == kind).collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .unwrap_or_else(|| panic!("not a list: {v:?}"))
        .iter()
        .map(|x| s(x).to_string())
        .collect()
}

/// What a pod spec must hold, whichever runs it: the binary's command line, the
/// state volume on a claim that exists, the job file from the ConfigMap at
/// JOB_PATH, the token from the Secret, and no root. Answers the command.
fn check_pod(pod: &Value, all: &[Value], what: &str) -> (Command, Value) {
    let c = &pod["containers"][0];
    let args = strings(&c["args"]);
    let cli = parse_cli(&args, what);
    assert_eq!(
        cli.log_format,
        LogFormat::Json,
        "{what}: JSON logs for the collector"
    );
    let cmd = cli.command;
    assert_eq!(
        job_files(&cmd),
        [std::path::PathBuf::from(JOB_PATH)],
        "{what}"
    );
    let sc = &pod["securityContext"];
    assert_eq!(sc["runAsNonRoot"], Value::Bool(true), "{what}");
    assert!(sc["runAsUser"].as_u64().unwrap() > 0, "{what}");
    let volumes = pod["volumes"].as_sequence().unwrap();
    let volume = |name: &str| {
        volumes
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{what}: no volume {name}"))
    };
    let mounts = c["volumeMounts"].as_sequence().unwrap();
    let mount = |path: &str| {
        mounts
            .iter()
            .find(|m| m["mountPath"] == path)
            .unwrap_or_else(|| panic!("{what}: nothing mounted at {path}"))
    };
    let state = volume(s(&mount(STATE_DIR)["name"]));
    let claim = s(&state["persistentVolumeClaim"]["claimName"]);
    assert!(
        kind(all, "PersistentVolumeClaim")
            .iter()
            .any(|p| p["metadata"]["name"] == claim),
        "{what}: no claim {claim}"
    );
    let job_mount = mount(JOB_PATH);
    assert_eq!(job_mount["readOnly"], Value::Bool(true), "{what}");
    let config = s(&volume(s(&job_mount["name"]))["configMap"]["name"]);
    let map = kind(all, "ConfigMap")
        .into_iter()
        .find(|m| m["metadata"]["name"] == config)
        .unwrap_or_else(|| panic!("{what}: no ConfigMap {config}"));
    let text = s(&map["data"][s(&job_mount["subPath"])]);
    job_on_volume(text, JOB_PATH, what);
    // The token the job reads is in the container's environment, from the Secret.
    let job: toml::Table = toml::from_str(text).unwrap();
    let token_env = job["cinnox"]["app_token_env"].as_str().unwrap();
    let env = c["env"].as_sequence().unwrap();
    let token = env
        .iter()
        .find(|e| e["name"] == token_env)
        .unwrap_or_else(|| panic!("{what}: no {token_env}"));
    let secret_ref = &token["valueFrom"]["secretKeyRef"];
    let secret = secret_keys(all, s(&secret_ref["name"]));
    assert!(
        secret.contains(&s(&secret_ref["key"]).to_string()),
        "{what}: the Secret has no such key"
    );
    // The sheet's key file is where the job looks for it, from the Secret.
    let creds = job["source"]["sheet"]["credentials"].as_str().unwrap();
    let (dir, file) = creds.rsplit_once('/').unwrap();
    let secret_volume = volume(s(&mount(dir)["name"]));
    let items = secret_volume["secret"]["items"].as_sequence().unwrap();
    let item = items
        .iter()
        .find(|i| i["path"] == file)
        .unwrap_or_else(|| panic!("{what}: no {file}"));
    assert!(
        secret.contains(&s(&item["key"]).to_string()),
        "{what}: the Secret has no {file}"
    );
    (cmd, c.clone())
}

fn secret_keys(all: &[Value], name: &str) -> Vec<String> {
    let secret = kind(all, "Secret")
        .into_iter()
        .find(|x| x["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no Secret {name}"));
    secret["stringData"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| s(k).to_string())
        .collect()
}

#[test]
fn the_deployment_runs_one_serve_with_its_state_volume_secret_and_probes() {
    let all = all();
    let deployments = kind(&all, "Deployment");
    assert_eq!(deployments.len(), 1);
    let d = deployments[0];
    assert_eq!(d["spec"]["replicas"], 1, "one process per tenant");
    assert_eq!(
        d["spec"]["strategy"]["type"], "Recreate",
        "the old pod lets go of the state volume before the new one starts"
    );
    let pod = &d["spec"]["template"]["spec"];
    let (cmd, c) = check_pod(pod, &all, "the Deployment");
    let Command::Serve(serve) = cmd else {
        panic!("the Deployment runs serve")
    };
    assert!(
        serve.listen.ip().is_unspecified(),
        "serve listens outside the pod"
    );
    let port = c["ports"][0]["containerPort"].as_u64().unwrap();
    assert_eq!(port, u64::from(serve.listen.port()));
    let port_name = &c["ports"][0]["name"];
    for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
        let get = &c[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}");
        assert!(
            get["port"] == *port_name || get["port"].as_u64() == Some(port),
            "{probe}"
        );
    }
    let selector = &d["spec"]["selector"]["matchLabels"];
    let services = kind(&all, "Service");
    assert_eq!(services.len(), 1);
    assert_eq!(
        &services[0]["spec"]["selector"], selector,
        "the Service finds the pod"
    );
    assert_eq!(services[0]["spec"]["ports"][0]["targetPort"], *port_name);
}

#[test]
fn the_cronjob_runs_plain_sync_never_two_at_once_on_its_own_volume() {
    let all = all();
    let jobs = kind(&all, "CronJob");
    assert_eq!(jobs.len(), 1);
    let j = jobs[0];
    assert_eq!(j["spec"]["concurrencyPolicy"], "Forbid");
    assert_eq!(s(&j["spec"]["schedule"]).split_whitespace().count(), 5);
    let pod = &j["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    let (cmd, _) = check_pod(pod, &all, "the CronJob");
    assert!(matches!(cmd, Command::Sync(_)));
    let claim = |pod: &Value| {
        pod["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .find_map(|v| {
                v["persistentVolumeClaim"]["claimName"]
                    .as_str()
                    .map(String::from)
            })
            .unwrap()
    };
    let serve_pod = &kind(&all, "Deployment")[0]["spec"]["template"]["spec"];
    assert_ne!(claim(pod), claim(serve_pod), "each its own state volume");
}
