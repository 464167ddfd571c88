"""A TLS client for the service's TLS tests (Python's ssl module, verifying the server's certificate).

Usage:
  tls_client.py get CA_FILE URL [TOKEN]        prints the HTTP status on the first line, then the body
  tls_client.py headers CA_FILE URL            prints the HTTP status, then the response headers (NAME: VALUE)
  tls_client.py syslog CA_FILE HOST PORT FILE  sends FILE's lines over TLS, octet-counted (RFC 5425)
  tls_client.py plain URL                      an HTTP request without TLS: prints the error, if any
"""
import signal
import socket
import ssl
import sys
import urllib.error
import urllib.request

signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
mode = sys.argv[1]
if mode == "get":
    context = ssl.create_default_context(cafile=sys.argv[2])
    request = urllib.request.Request(sys.argv[3])
    if len(sys.argv) > 4:
        request.add_header("Authorization", "Bearer " + sys.argv[4])
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as reply:
            print(reply.status)
            sys.stdout.write(reply.read().decode())
    except urllib.error.HTTPError as error:
        print(error.code)
        sys.stdout.write(error.read().decode())
elif mode == "headers":
    context = ssl.create_default_context(cafile=sys.argv[2])
    try:
        reply = urllib.request.urlopen(urllib.request.Request(sys.argv[3]), context=context, timeout=10)
    except urllib.error.HTTPError as error:
        reply = error
    print(reply.status)
    for name, value in reply.headers.items():
        print(f"{name}: {value}")
elif mode == "syslog":
    context = ssl.create_default_context(cafile=sys.argv[2])
    host, port = sys.argv[3], int(sys.argv[4])
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            for line in open(sys.argv[5], "rb").read().splitlines():
                tls.sendall(str(len(line)).encode() + b" " + line)
            tls.unwrap()
    print("sent")
elif mode == "plain":
    try:
        with urllib.request.urlopen(sys.argv[2], timeout=10) as reply:
            print("answered", reply.status)
    except Exception as error:
        print("refused", type(error).__name__)
