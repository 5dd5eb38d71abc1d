"""A tiny HTTP service: answers every GET with a greeting."""

from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = 8088


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from layerlint's example\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("", PORT), Hello).serve_forever()
