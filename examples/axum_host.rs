//! The engine inside someone else's axum app: one `Engine` in the router's state, a route that
//! answers which moves a deal has and why the others are blocked, and a move route that answers
//! the engine's problems in the contract's one shape with their HTTP status.
//!
//! It calls its own router in process (`tower::ServiceExt::oneshot`), as axum's own tests do, and
//! checks the answers; with `--serve [HOST:PORT]` it listens instead (stop it with Ctrl-C).
//! The full server, with users, storage and a change feed, is `server/` (`stagegate-server`).

use std::error::Error;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use stagegate::{Actor, Deal, Engine, Move, Options, Playbook, Problem, Timestamp};
use tower::ServiceExt;

/// What the host's handlers share: the engine, loaded once.
struct Host {
    engine: Engine,
    at: Timestamp,
}

/// The host's routes: the engine is the only thing they need from stagegate.
fn router(host: Arc<Host>) -> Router {
    Router::new()
        .route("/moves", post(moves))
        .route("/move", post(make_move))
        .with_state(host)
}

/// `POST /moves` with a deal: each move it has, allowed or not, and why not.
async fn moves(State(host): State<Arc<Host>>, Json(deal): Json<Deal>) -> Response {
    match host.engine.evaluate(&deal, host.at, &Options::new()) {
        Ok(evaluation) => Json(json!({ "transitions": evaluation.transitions })).into_response(),
        Err(error) => problem(&Problem::from(&error)),
    }
}

/// `POST /move` with `{"deal", "to"}`: the moved deal, or the problem (409 with every blocker).
async fn make_move(State(host): State<Arc<Host>>, Json(body): Json<Value>) -> Response {
    let to = body["to"].as_str().unwrap_or_default();
    let deal: Deal = match serde_json::from_value(body["deal"].clone()) {
        Ok(deal) => deal,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let wanted = Move::to(to).by(Actor::new("host-user", ["rep"]));
    match host.engine.apply(&deal, &wanted, host.at) {
        Ok(applied) => Json(json!({ "deal": applied.deal })).into_response(),
        Err(error) => problem(&Problem::from(&error)),
    }
}

/// A library problem as the answer: its kind's status and its error object.
fn problem(problem: &Problem) -> Response {
    let status =
        StatusCode::from_u16(problem.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(json!(problem))).into_response()
}

/// One request to the router, in process: (status, JSON body).
async fn call(app: &Router, path: &str, body: Value) -> Result<(u16, Value), Box<dyn Error>> {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))?;
    let response = app.clone().oneshot(request).await?;
    let status = response.status().as_u16();
    let bytes = to_bytes(response.into_body(), 1 << 20).await?;
    Ok((status, serde_json::from_slice(&bytes)?))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let playbook = Playbook::load(format!("{root}/playbooks/b2b-sales.yaml"))?;
    let host = Arc::new(Host {
        engine: Engine::new(playbook).with_language("en"),
        at: stagegate::parse_time("2026-11-27")?,
    });
    let app = router(host);
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("--serve") {
        let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".to_owned());
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("listening on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await?;
        return Ok(());
    }

    let text = std::fs::read_to_string(format!("{root}/examples/deals/02-blocked-bant.yaml"))?;
    let deal: Value = serde_yaml::from_str(&text)?;
    let (status, answer) = call(&app, "/moves", deal.clone()).await?;
    assert_eq!(status, 200, "{answer}");
    let blocked: Vec<&Value> = answer["transitions"]
        .as_array()
        .ok_or("no transitions")?
        .iter()
        .filter(|t| t["allowed"] == false)
        .collect();
    assert!(!blocked.is_empty(), "the sample deal is blocked somewhere");
    println!(
        "POST /moves: {} moves, {} blocked",
        answer["transitions"].as_array().map_or(0, Vec::len),
        blocked.len()
    );

    let (status, refused) = call(
        &app,
        "/move",
        json!({ "deal": deal, "to": "needs_analysis" }),
    )
    .await?;
    assert_eq!(
        (status, &refused["error"]),
        (409, &json!("blocked")),
        "{refused}"
    );
    assert!(
        refused["move"]["blockers"]
            .as_array()
            .is_some_and(|b| !b.is_empty()),
        "every blocker is in the answer: {refused}"
    );
    println!(
        "POST /move to needs_analysis: {status} {} ({} blockers)",
        refused["code"],
        refused["move"]["blockers"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}
