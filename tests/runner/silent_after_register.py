#!/usr/bin/env python3
# A device that registers and then answers nothing: every case that needs an answer from it
# can only end inconclusive, so the run has no verdict (exit status 3), never a pass.
#   silent_after_register.py coap://127.0.0.1:PORT ENDPOINT
import random
import socket
import sys
import urllib.parse


def option(number, previous, value):
    def nibble(n):
        if n < 13:
            return n, b""
        if n < 269:
            return 13, bytes([n - 13])
        return 14, (n - 269).to_bytes(2, "big")
    delta, delta_ext = nibble(number - previous)
    length, length_ext = nibble(len(value))
    return bytes([(delta << 4) | length]) + delta_ext + length_ext + value


def register(endpoint, mid, token):
    head = bytes([0x40 | len(token), 0x02]) + mid.to_bytes(2, "big") + token  # CON POST
    options = option(11, 0, b"rd") + option(12, 11, bytes([40]))  # Uri-Path rd, Content-Format link-format
    previous = 12
    for query in (f"ep={endpoint}", "lt=300", "lwm2m=1.1", "b=U"):
        options += option(15, previous, query.encode())
        previous = 15
    return head + options + b"\xff" + b"</1/0>,</3/0>,</5/0>"


def main():
    server = urllib.parse.urlparse(sys.argv[1])
    endpoint = sys.argv[2]
    sock = socket.socket(socket.AF_INET6 if ":" in server.hostname else socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((server.hostname, server.port))
    mid, token = random.randrange(65536), random.randbytes(4)
    message = register(endpoint, mid, token)
    sock.settimeout(2.0)
    for _ in range(30):  # bounded: a minute at most without an answer
        sock.send(message)
        try:
            answer = sock.recv(2048)
        except socket.timeout:
            continue
        if len(answer) >= 4 and int.from_bytes(answer[2:4], "big") == mid and answer[1] == 0x41:  # 2.01 Created
            break
    sock.settimeout(None)
    while True:  # registered: read and ignore everything until stopped
        sock.recv(2048)


if __name__ == "__main__":
    main()
