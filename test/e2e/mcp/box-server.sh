#!/bin/sh
# A minimal MCP server in busybox sh (the sandbox image has no node): newline-delimited JSON-RPC
# on stdin/stdout, one tool `where` that says where it runs. Good enough for the SDK's client.
while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p')
  [ -z "$id" ] && continue
  case "$line" in
    *'"method":"initialize"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"box","version":"1"}}}\n' "$id" ;;
    *'"method":"tools/list"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"where","description":"Where it runs","inputSchema":{"type":"object"}}]}}\n' "$id" ;;
    *'"method":"tools/call"'*)
      os=$(grep -o OpenClaw /etc/os-release | head -n 1)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"content":[{"type":"text","text":"uid %s in %s on %s, token %s"}]}}\n' \
        "$id" "$(id -u)" "$(pwd)" "${os:-host}" "${BOX_TOKEN:+given}" ;;
    *)
      printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"unknown method"}}\n' "$id" ;;
  esac
done
