#!/usr/bin/env bash
# Instructions per 1 MiB pull of each server, under valgrind's callgrind (deterministic, unlike
# time on a shared machine): each server runs under callgrind, is pulled PULLS times (and once)
# by coap-client, and the difference of the two totals divided by PULLS-1 is one pull, without
# start-up, the PUT that loads coap-server, or shutdown. See bench/README.md.
#
#   bench/callgrind_pull.sh BUILD_DIR [PULLS (default 4)] [KIB (default 1024)]
#
# Prints "fotacheck N instructions per pull", "coap-server M ...", and the ratio.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [PULLS] [KIB]}
pulls=${2:-4}
kib=${3:-1024}
serve="$build/bench/fotacheck-repository-serve"
client=$(command -v coap-client-notls || command -v coap-client)
server=$(command -v coap-server-notls || command -v coap-server)
work=$(mktemp -d /tmp/fotacheck-callgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
head -c $((kib * 1024)) /dev/urandom >"$work/big.bin"

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Runs the server command (the rest of the arguments, with PORT replaced) under callgrind, pulls
# $1 times, and prints the instructions callgrind counted in the whole process.
instructions() {
  local n=$1 kind=$2 port out pid
  port=$(free_port)
  out="$work/callgrind.$kind.$n"
  if [ "$kind" = fotacheck ]; then
    valgrind --tool=callgrind --callgrind-out-file="$out" "$serve" "$work/big.bin" /fw/big.bin "$port" \
      >/dev/null 2>"$work/valgrind.log" &
  else
    valgrind --tool=callgrind --callgrind-out-file="$out" "$server" -A 127.0.0.1 -p "$port" -d 10 \
      >/dev/null 2>"$work/valgrind.log" &
  fi
  pid=$!
  local uri="coap://127.0.0.1:$port/fw/big.bin"
  for _ in $(seq 100); do  # up to 30 s for valgrind to start the server
    "$client" -B 1 -m get "coap://127.0.0.1:$port/.well-known/core" >/dev/null 2>&1 && break
    sleep 0.2
  done
  if [ "$kind" = coap-server ]; then "$client" -m put -b 1024 -B 60 -f "$work/big.bin" "$uri" >/dev/null 2>&1; fi
  for _ in $(seq "$n"); do
    "$client" -m get -b 1024 -B 60 -o "$work/pulled.bin" "$uri" >/dev/null 2>&1
    cmp -s "$work/big.bin" "$work/pulled.bin" || { echo "$kind: the pull delivered other bytes" >&2; exit 1; }
  done
  kill -TERM "$pid"
  wait "$pid" || true
  sed -n 's/^summary: //p; s/^totals: //p' "$out" | head -1
}

for kind in fotacheck coap-server; do
  one=$(instructions 1 "$kind")
  many=$(instructions "$pulls" "$kind")
  per=$(( (many - one) / (pulls - 1) ))
  echo "$kind $per instructions per pull"
  eval "per_${kind//-/_}=$per"
done
awk -v a="$per_fotacheck" -v b="$per_coap_server" 'BEGIN { printf "ratio fotacheck / coap-server %.2f\n", a / b }'
