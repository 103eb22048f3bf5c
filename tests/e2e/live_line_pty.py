#!/usr/bin/python3
"""The live status line of `ecometer run` never runs into the command's output.
ecometer runs in a pseudo-terminal (python3's pty module) sized 12 x 70, with a
command that prints a line every 0.2 s; what the terminal receives is played
through a small VT100 screen model (the sequences ecometer and the command use:
printable text, CR, LF, BS, ESC 7/8, CSI H, K, A, r, m). Checked: every line of the
command ends up whole on a row of its own (never joined to the status), the
status is only ever drawn on the bottom row, and at the end the scrolling
region is whole again and the status gone. With --quiet, and with stderr a pipe,
no status and no escape sequence at all."""
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

B = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
ENV = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests/fixtures/intel-2s-server/sys"),
           XDG_STATE_HOME=T, TERM="xterm")
ENV.pop("ECOMETER_SOCKET", None)
ROWS, COLS = 12, 70
N = 20
CHILD = ["sh", "-c", 'i=0; while [ $i -lt %d ]; do echo "child line $i of the training"; i=$((i+1)); '
         'sleep 0.2; done' % N]


def fail(what):
    sys.exit("FAIL: " + what)


class Screen:
    """Enough of a VT100 for this test; rows and columns from 0."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.top, self.bot = 0, rows - 1
        self.saved = (0, 0)
        self.scrollback = []
        self.status_rows = set()  # rows the status text was ever drawn on

    def line(self, r):
        return "".join(self.grid[r]).rstrip()

    def linefeed(self):
        if self.r == self.bot:
            gone = self.grid.pop(self.top)
            if self.top == 0:
                self.scrollback.append("".join(gone).rstrip())
            self.grid.insert(self.bot, [" "] * self.cols)
        elif self.r < self.rows - 1:
            self.r += 1

    def csi(self, params, final):
        nums = [int(p) if p else 0 for p in params.split(";")] if params else []
        if final == "H":
            r = (nums[0] if nums and nums[0] else 1) - 1
            c = (nums[1] if len(nums) > 1 and nums[1] else 1) - 1
            self.r, self.c = min(r, self.rows - 1), min(c, self.cols - 1)
        elif final == "K":
            for c in range(self.c, self.cols):
                self.grid[self.r][c] = " "
        elif final == "A":
            self.r = max(self.top if self.r >= self.top else 0, self.r - (nums[0] if nums and nums[0] else 1))
        elif final == "r":
            top = (nums[0] if nums and nums[0] else 1) - 1
            bot = (nums[1] if len(nums) > 1 and nums[1] else self.rows) - 1
            self.top, self.bot = top, bot
            self.r = self.c = 0  # DECSTBM homes the cursor
        elif final in "mhlJ":
            pass
        else:
            fail("unexpected sequence CSI %s%s" % (params, final))

    def feed(self, data):
        i = 0
        while i < len(data):
            ch = data[i]
            if ch == "\x1b":
                if data[i + 1] == "7":
                    self.saved = (self.r, self.c)
                    i += 2
                elif data[i + 1] == "8":
                    self.note_status()
                    self.r, self.c = self.saved
                    i += 2
                elif data[i + 1] == "[":
                    m = re.match(r"\x1b\[([?0-9;]*)([A-Za-z])", data[i:])
                    self.csi(m.group(1).lstrip("?"), m.group(2))
                    i += m.end()
                else:
                    fail("unexpected escape %r" % data[i:i + 4])
                continue
            if ch == "\r":
                self.c = 0
            elif ch == "\n":
                self.linefeed()
            elif ch == "\b":
                self.c = max(0, self.c - 1)
            elif ch >= " ":
                if self.c >= self.cols:
                    self.c = 0
                    self.linefeed()
                self.grid[self.r][self.c] = ch
                self.c += 1
            i += 1
        self.note_status()

    def note_status(self):
        for r in range(self.rows):
            if " now " in self.line(r):
                self.status_rows.add(r)


def run_in_pty(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(B, [B, *args], ENV)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    out = b""
    deadline = time.time() + 60
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the other side closed
                break
            if not chunk:
                break
            out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


# pty.fork sets the size only after the child started: wait until it is sized
# (the child sleeps first) so the first status already knows the height.
code, text = run_in_pty(["run", "--no-history", "--region", "FR", "--", "sh", "-c",
                         "sleep 0.3; exec \"$@\"", "sh", *CHILD])
if code != 0:
    fail("ecometer run exited %d:\n%s" % (code, text))
scr = Screen(ROWS, COLS)
scr.feed(text)
if not scr.status_rows:
    fail("no status line was drawn:\n%r" % text[:2000])
if scr.status_rows != {ROWS - 1}:
    fail("the status was drawn on rows %s, not only the bottom one" % sorted(scr.status_rows))
lines = scr.scrollback + [scr.line(r) for r in range(ROWS)]
for i in range(N):
    want = "child line %d of the training" % i
    if want not in lines:
        joined = [ln for ln in lines if want in ln]
        fail("the command's line %r is not whole on its own row: %r" % (want, joined or lines))
if (scr.top, scr.bot) != (0, ROWS - 1):
    fail("the scrolling region was not given back: %d..%d" % (scr.top, scr.bot))
if any(" now " in scr.line(r) for r in range(ROWS)):
    fail("the status is still on the screen at the end")
if "total" not in text:
    fail("no summary after the run")

# --quiet: nothing of ecometer's, not even an escape sequence.
code, text = run_in_pty(["run", "--quiet", "--no-history", "--region", "FR", "--", *CHILD[:2],
                         'echo quiet child'])
if code != 0 or "\x1b" in text or " now " in text or "quiet child" not in text:
    fail("--quiet under a terminal: exit %d, %r" % (code, text))

# stderr a pipe (stdout still a terminal): no status line.
p = subprocess.run([B, "run", "--no-history", "--region", "FR", "--", "sleep", "0.8"], env=ENV,
                   capture_output=True, text=True, timeout=60)
if p.returncode != 0 or "\x1b" in p.stderr or " now " in p.stderr or "total" not in p.stderr:
    fail("stderr not a terminal: %r" % p.stderr)
print("ok: %d lines of the command whole, the status only on row %d, region restored" % (N, ROWS))
