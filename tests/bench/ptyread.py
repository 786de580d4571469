# ptyread.py - what the screen-level benches share (imported by the python
# of tests/bench/bench-live.sh and bench-wire.sh, with tests/bench on
# PYTHONPATH): `cinetty tui` as a guest on a pty (120x40,
# xterm-256color, UTF-8) and a reader of what it writes at the master.
# Every time is time.monotonic().
import fcntl
import os
import pty
import re
import select
import struct
import termios
import time


class Tui:
    """BUILD/cinetty tui on a pty; POLL is the seconds one select() waits
    while reading."""

    def __init__(self, build, poll):
        self.poll = poll
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack('HHHH', 40, 120, 0, 0))
            os.environ.update(TERM='xterm-256color', LANG='C.UTF-8')
            os.environ.pop('NO_COLOR', None)
            os.execv(build + '/cinetty', [build + '/cinetty', 'tui'])

    def quiet(self, gap=0.3, limit=5.0):
        """Bytes from the master until GAP seconds pass without any (2 s
        before the first), LIMIT seconds at most, or the end."""
        out = b''
        start = last = time.monotonic()
        while time.monotonic() - start < limit:
            r, _, _ = select.select([self.fd], [], [], self.poll)
            if r:
                try:
                    d = os.read(self.fd, 65536)
                except OSError:
                    break
                if not d:
                    break
                out += d
                last = time.monotonic()
            elif time.monotonic() - last > (gap if out else 2.0):
                break
        return out

    def key(self, k):
        """Writes the bytes K, returns the output until it is quiet."""
        os.write(self.fd, k)
        return self.quiet()

    def kill(self):
        """SIGKILL the app and reap it."""
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def text(o):
    """Output O as text, escape sequences blanked."""
    return re.sub(rb'\x1b(\[[0-9;?]*[A-Za-z]|\([A-Z0-9])', b' ',
                  o).decode('utf-8', 'replace')
