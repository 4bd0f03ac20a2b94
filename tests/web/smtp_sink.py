#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A real SMTP server for the browser tests (Debian's python3-aiosmtpd, as in tests/api): listens
on 127.0.0.1, writes each message it receives to DIR/NNN.eml (the recipients on its first line,
then the raw message) and prints "ready PORT" once it listens. Stops on SIGTERM or when its
standard input closes.

Usage: smtp_sink.py DIR
"""
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            path = os.path.join(self.out, "%03d.eml" % self.n)
        with open(path + ".part", "wb") as f:
            f.write((",".join(envelope.rcpt_tos) + "\n").encode())
            f.write(envelope.content)
        os.rename(path + ".part", path)
        return "250 OK"


def main():
    out = sys.argv[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctl = Controller(Sink(out), hostname="127.0.0.1", port=port)
    ctl.start()
    print("ready %d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    ctl.stop()


if __name__ == "__main__":
    main()
