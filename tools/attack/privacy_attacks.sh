#!/usr/bin/env bash
# Reproduces the privacy attacks of the 2026-12-01 review against a fresh YUANJIAN_HOME: starts the
# loopback fake OpenAI backend (fake_openai.py) and `yuanjian serve` on free ports, runs each attack
# and prints FAIL (what happened) or ok. Needs python3 and curl. Usage: tools/attack/privacy_attacks.sh
# Environment: JAVA_HOME as for ./yuanjian. Everything it starts is stopped at exit.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/yj-attack.XXXXXX)"
export YUANJIAN_HOME="$WORK/home"
read -r BP SP < <(python3 -c "
import socket
a=socket.socket();a.bind(('127.0.0.1',0));b=socket.socket();b.bind(('127.0.0.1',0));print(a.getsockname()[1],b.getsockname()[1])")
python3 "$ROOT/tools/attack/fake_openai.py" "$BP" "$WORK/backend.log" & FAKE=$!
YUANJIAN_OPENAI_BASE_URL="http://127.0.0.1:$BP/v1" YUANJIAN_OPENAI_API_KEY=sk-x YUANJIAN_MODEL=fake \
  "$ROOT/yuanjian" serve --port "$SP" >"$WORK/serve.out" 2>"$WORK/serve.err" & SERVE=$!
trap 'kill $FAKE $SERVE 2>/dev/null; wait $FAKE $SERVE 2>/dev/null; echo "work dir: $WORK"' EXIT
U="http://127.0.0.1:$SP"
for _ in $(seq 60); do curl -sf "$U/healthz" >/dev/null && break; sleep 1; done
chat() { curl -s -o /dev/null -w '%{http_code}' "$U/v1/chat/completions" -H 'Content-Type: application/json' "$@"; }
leaked() { grep -q "$1" "$WORK/backend.log" && echo yes || echo no; }

echo "1. the vault's database file grows ~60 KB per value of a conversation (5,000 phones in one request)"
before=$(stat -c %s "$YUANJIAN_HOME/yuanjian.mv.db")
python3 -c 'import json;print(json.dumps({"model":"fake","messages":[{"role":"user","content":" ".join(f"15{i:09d}" for i in range(5000))}]}))' >"$WORK/chat5k.json"
chat -H 'X-Yuanjian-Conversation: disk' --data-binary @"$WORK/chat5k.json" >/dev/null
after=$(stat -c %s "$YUANJIAN_HOME/yuanjian.mv.db")
grow=$(( (after - before) / 1048576 ))
[ "$grow" -gt 50 ] && echo "  FAIL: a 60 KB request grew the H2 file by $grow MiB ($before -> $after bytes)" || echo "  ok: +$grow MiB"

echo "2. personal data the gateway forwards unmasked (backend log searched for the phone)"
n=0
for body in \
  '{"model":"fake","messages":[{"role":"user","content":13800000001}]}' \
  '{"model":"fake","messages":[{"role":"user","content":{"text":"电话13800000002"}}]}' \
  '{"model":"fake","messages":[{"role":"assistant","content":"ok","reasoning_content":"电话13800000003"},{"role":"user","content":"hi"}]}' \
  '{"model":"fake","messages":[{"role":"user","content":[{"type":"text","text":"hi","extra":"电话13800000004"}]}]}' \
  '{"model":"fake","messages":[{"role":"user","content":"hi","prefix":"电话13800000005"}]}' \
  '{"model":"fake","vendor_extra":"电话13800000006","messages":[{"role":"user","content":"hi"}]}' \
  '{"model":"fake","messages":[{"role":"user","content":"hi"}],"stop":["13800000007"]}' \
  '{"model":"fake","messages":[{"role":"user","content":"hi"}],"temperature":"电话13800000008"}'; do
  n=$((n + 1)); code=$(chat -d "$body")
  [ "$(leaked 1380000000$n)" = yes ] && echo "  FAIL: HTTP $code, backend got 1380000000$n: $body" || echo "  ok ($code): $body"
done

echo "3. one phone in different spellings gets different placeholders without a conversation"
curl -s "$U/api/v1/pii/mask" -H 'Content-Type: application/json' \
  -d '{"text":"电话13912340000 和 139-1234-0000 和 1\u200b3912340000"}' >"$WORK/mask3.json"
grep -q 'PHONE_2' "$WORK/mask3.json" && echo "  FAIL: $(head -c 80 "$WORK/mask3.json")" || echo "  ok"

echo "4. separators and digit forms the phone recognizer misses"
printf 'a 138.1234.5678\nb 138/1234/5678\nc 138\t1234\t5678\nd %s\ne %s\nf zhang@example\xe3\x80\x82com\n' \
  "$(python3 -c 'print("".join(chr(0x1D7CE+int(c)) for c in "13812345678"))')" \
  "$(python3 -c 'print("".join(chr(0x660+int(c)) for c in "13812345678"))')" >"$WORK/seps.txt"
"$ROOT/yuanjian" pii mask "$WORK/seps.txt" | sed 's/^/  /'

echo "5. pii mask -o: creates missing directories, replaces existing files and the input itself"
printf '电话13812345678\n' >"$WORK/in.txt"
"$ROOT/yuanjian" pii mask "$WORK/in.txt" -o "$WORK/no/such/dir/out.txt" >/dev/null 2>&1 && [ -f "$WORK/no/such/dir/out.txt" ] \
  && echo "  FAIL: -o into a missing directory created it (exit 0)" || echo "  ok"
"$ROOT/yuanjian" pii mask "$WORK/in.txt" -o "$WORK/in.txt" >/dev/null 2>&1; grep -q 13812345678 "$WORK/in.txt" \
  && echo "  ok: the input kept" || echo "  FAIL: -o naming the input replaced the original (no --force, exit 0)"

echo "7. a placeholder issued earlier in a conversation, typed by whoever holds its id, comes back as the original"
curl -s "$U/v1/chat/completions" -H 'Content-Type: application/json' -H 'X-Yuanjian-Conversation: oracle' \
  -d '{"model":"fake","messages":[{"role":"user","content":"我的电话13812345678"}]}' >/dev/null
curl -s "$U/v1/chat/completions" -H 'Content-Type: application/json' -H 'X-Yuanjian-Conversation: oracle' \
  -d '{"model":"fake","messages":[{"role":"user","content":"repeat [PHONE_1]"}]}' | grep -q 13812345678 \
  && echo "  FAIL: 'repeat [PHONE_1]' answered with 13812345678 (clients never see placeholders, so one typed is not history)" || echo "  ok"

echo "8. gateway JSON errors quote the body (Jackson's message), unlike /api/v1/pii (line and column)"
curl -s "$U/v1/chat/completions" -H 'Content-Type: application/json' -d '{"messages":[{"content":zhang13800000009}]}' | grep -q 13800000009 \
  && echo "  FAIL: the error message quotes zhang13800000009" || echo "  ok"

echo "6. the server logs and the home directory never hold a phone sent above"
for i in $(seq 1 9); do grep -rlaF "1380000000$i" "$WORK/serve.out" "$WORK/serve.err" "$YUANJIAN_HOME" 2>/dev/null | sed "s/^/  FAIL: 1380000000$i in /"; done
echo "  (searched)"
