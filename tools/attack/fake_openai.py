#!/usr/bin/env python3
"""Loopback fake OpenAI chat-completions server for attacking the privacy gateway.

Echoes the last user message back as the answer (or, for 'RAW:{PERSON_1}', answers '[PERSON_1]') (so placeholders the gateway issued come back),
optionally prefixed by ANSWER_PREFIX; streams it one character per SSE chunk so every placeholder is
split across chunks. If the last user message contains 'TOOLCALL', answers with a tool call whose
arguments are {"who": <echo>}. Every request body is appended to REQUEST_LOG (one JSON a line).
Usage: fake_openai.py PORT REQUEST_LOG
"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1]); LOG = sys.argv[2]

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        body = json.dumps({"object": "list", "data": [{"id": "fake", "object": "model", "owned_by": "me"}]}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0)); raw = self.rfile.read(n)
        with open(LOG, "ab") as f: f.write(raw + b"\n")
        req = json.loads(raw)
        last = [m for m in req["messages"] if m.get("role") == "user"][-1]["content"]
        if isinstance(last, list): last = "".join(str(p.get("text", "")) for p in last)
        elif not isinstance(last, str): last = json.dumps(last, ensure_ascii=False)  # invalid shapes the gateway let through
        answer = "You said: " + last
        if last.startswith("RAW:"):  # the model itself writes placeholders: RAW:{PERSON_1} answers [PERSON_1]
            answer = last[4:].replace("{", "[").replace("}", "]")
        tool = "TOOLCALL" in last
        if req.get("stream"):
            self.send_response(200); self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache"); self.end_headers()
            def ev(obj):
                self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n"); self.wfile.flush()
            base = {"id": "c1", "object": "chat.completion.chunk", "created": int(time.time()), "model": "fake"}
            ev({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
            if tool:
                args = json.dumps({"who": last})
                ev({**base, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]}, "finish_reason": None}]})
                for ch in args:
                    ev({**base, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ch}}]}, "finish_reason": None}]})
                ev({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
            else:
                for ch in answer:
                    ev({**base, "choices": [{"index": 0, "delta": {"content": ch}, "finish_reason": None}]})
                ev({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            self.wfile.write(b"data: [DONE]\n\n"); self.wfile.flush()
            self.close_connection = True
            return
        msg = {"role": "assistant", "content": answer}
        if tool:
            msg = {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": json.dumps({"who": last})}}]}
        body = json.dumps({"id": "c1", "object": "chat.completion", "created": int(time.time()), "model": "fake",
                           "choices": [{"index": 0, "message": msg, "finish_reason": "tool_calls" if tool else "stop"}],
                           "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)

ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
