//! A tiny HTTP/1.1 server on 127.0.0.1 for tests that download: fixed routes, a fixed number
//! of requests, then it stops. Replies can be cut short to test interrupted downloads.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Clone)]
pub enum Reply {
    Full(Vec<u8>),
    /// Announce the whole length, send half, close.
    Truncated(Vec<u8>),
}

/// Serves exactly `requests` requests on an ephemeral 127.0.0.1 port, then stops. Unknown
/// paths get a 404.
pub struct Server {
    pub base: String,
    handle: Option<JoinHandle<Vec<String>>>,
}

impl Server {
    pub fn start(routes: HashMap<String, Reply>, requests: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..requests {
                let Ok((stream, _)) = listener.accept() else {
                    break;
                };
                if let Some(path) = serve(stream, &routes) {
                    seen.push(path);
                }
            }
            seen
        });
        Server {
            base,
            handle: Some(handle),
        }
    }

    /// Paths requested, in order (waits for the server to finish).
    pub fn finish(mut self) -> Vec<String> {
        self.handle.take().unwrap().join().unwrap()
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>) -> Option<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1)?.to_string();
    match routes.get(&path) {
        Some(Reply::Full(body)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).ok()?;
            stream.write_all(body).ok()?;
        }
        Some(Reply::Truncated(body)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).ok()?;
            stream.write_all(&body[..body.len() / 2]).ok()?;
            stream.flush().ok()?;
        }
        None => {
            stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found").ok()?;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Some(path)
}
