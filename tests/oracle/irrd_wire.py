"""irrd_wire.py — reading IRRd-style whois answers off a socket, shared by the
whoisd tests (tests/oracle/whoisd_hostile.py) and the hostile-client benchmark
(bench/whoisd_hostile.py)."""
import socket
import time


def read_answer(s, deadline):
    """One IRRd answer (A<n> + n bytes + C, or a C, D or F line) by the absolute
    time deadline; None on timeout, reset or close."""
    buf = b""
    while time.time() < deadline:
        nl = buf.find(b"\n")
        if nl >= 0:
            if buf.startswith(b"A"):
                n = int(buf[1:nl])
                if len(buf) >= nl + 1 + n + 2:
                    return buf[: nl + 1 + n + 2]
            else:
                return buf[: nl + 1]
        s.settimeout(max(0.01, deadline - time.time()))
        try:
            d = s.recv(1 << 16)
        except socket.timeout:
            break
        except OSError:
            return None
        if not d:
            return None
        buf += d
    return None
